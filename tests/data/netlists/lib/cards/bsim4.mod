.model nfet nmos level=54 version=4.8.2 capmod=2 igcmod=0 igbmod=0 noia=0 noib=0 noic=0
+ rdsmod=0 rbodymod=0 rgatemod=0 trnqsmod=0 acnqsmod=0 tnom=27
+ toxe=1.6e-9 toxp=1.0e-9 toxm=1.6e-9 toxref=1.6e-9 epsrox=3.9
+ xj=1.4e-8 vth0=0.28 nfactor=2.2 voff=-0.12 eta0=0.01 u0=0.04
+ vsat=1.4e5 agidl=0 cgso=1.0e-10 cgdo=1.0e-10 cgbo=2.5e-11
+ kt1=-0.12 ute=-1.5
.model pfet pmos level=54 version=4.8.2 capmod=2 igcmod=0 igbmod=0 noia=0 noib=0 noic=0
+ rdsmod=0 rbodymod=0 rgatemod=0 trnqsmod=0 acnqsmod=0 tnom=27
+ toxe=1.7e-9 toxp=1.0e-9 toxm=1.7e-9 toxref=1.7e-9 epsrox=3.9
+ xj=1.4e-8 vth0=-0.28 nfactor=2.2 voff=-0.12 eta0=0.01 u0=0.018
+ vsat=1.4e5 agidl=0 cgso=1.0e-10 cgdo=1.0e-10 cgbo=2.5e-11
+ kt1=-0.12 ute=-1.5
