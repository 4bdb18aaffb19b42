/* ckt_models.c -- tsukit's own MOSFET model cards for ngspice.
 *
 * Workload: a few strings copied into every generated netlist.
 *
 * "level1": Shichman-Hodges square law, |V_TO| = 0.40 V, KP 300/120 uA/V^2
 *   (NMOS/PMOS), lambda 0.1 /V, no body effect, no capacitances.  It has NO
 *   subthreshold conduction: use it for fast structural tests (netlist
 *   generation, inverter DC), never for the subthreshold sampling cells.
 *
 * "bsim4": a BSIM4 (level 54, version 4.8.2) card with 45 nm-class values
 *   of the kind published in the Predictive Technology Model (Zhao and Cao,
 *   "New generation of predictive technology model for sub-45 nm early
 *   design exploration", IEEE Trans. Electron Devices 53(11), 2006; values
 *   typed from the paper's tables and rounded, not copied from PTM files):
 *   EOT ~1.75 nm (NMOS) / 1.85 nm (PMOS), V_TH0 0.30 V (the paper's 0.45 V
 *   long-channel value lowered so the cells run at 0.4 V), NFACTOR 2.5,
 *   VOFF -0.13 V, U0 450 / 200 cm^2/Vs, VSAT 1.5e5 m/s, ETA0 0.0115,
 *   KT1 -0.11 V; everything else at BSIM4's defaults (doping, short-channel
 *   and mobility-degradation parameters: setting PTM's NDEP/K1 without its
 *   full parameter set gave a dead device).  Measured with this card
 *   (W/L = 90/45 nm, V_DS = 0.2 V, 27 C): I_D = 2.5 pA at V_GS = 0,
 *   1.7 nA at 0.2 V, 0.68 uA at 0.4 V: about 70 mV/decade.  Gate tunnelling (IGCMOD/IGBMOD) and GIDL are off: at the
 *   fA currents of the sampling cells' pseudo-resistors they would dominate
 *   and they are not part of the noise model (phys_noise.h).  Junction
 *   areas are not given, so there is no junction leakage either.
 *   Its slope (n ~ 1.2) and threshold differ from phys_mos_default_params()
 *   (n = 1.45, V_TH0 = 0.40 V); the noise amplitudes are therefore taken
 *   from the simulated device's own I_D and g_ds (ckt_sim.c), not from EKV.
 */
#include "circuits/ckt_netlist.h"

#include <string.h>

static const char *const level1[] = {
  ".model nch nmos level=1 vto=0.40 kp=300u lambda=0.1 gamma=0 phi=0.7",
  ".model pch pmos level=1 vto=-0.40 kp=120u lambda=0.1 gamma=0 phi=0.7",
};

static const char *const bsim4[] = {
  ".model nch nmos level=54 version=4.8.2 capmod=2 igcmod=0 igbmod=0"
  " rdsmod=0 rbodymod=0 rgatemod=0 trnqsmod=0 acnqsmod=0 tnom=27"
  " toxe=1.75e-9 toxp=1.1e-9 toxm=1.75e-9 toxref=1.75e-9 epsrox=3.9"
  " xj=1.4e-8 vth0=0.30 nfactor=2.5 voff=-0.13 eta0=0.0115 u0=0.045"
  " vsat=1.5e5 agidl=0 cgso=1.1e-10 cgdo=1.1e-10 cgbo=2.56e-11"
  " kt1=-0.11 ute=-1.5",
  ".model pch pmos level=54 version=4.8.2 capmod=2 igcmod=0 igbmod=0"
  " rdsmod=0 rbodymod=0 rgatemod=0 trnqsmod=0 acnqsmod=0 tnom=27"
  " toxe=1.85e-9 toxp=1.1e-9 toxm=1.85e-9 toxref=1.85e-9 epsrox=3.9"
  " xj=1.4e-8 vth0=-0.30 nfactor=2.5 voff=-0.13 eta0=0.0115 u0=0.02"
  " vsat=1.5e5 agidl=0 cgso=1.1e-10 cgdo=1.1e-10 cgbo=2.56e-11"
  " kt1=-0.11 ute=-1.5",
};

int ckt_model_lines(const char *name, const char *const **lines, size_t *n,
                    tk_err *err)
{
  if (name != NULL && strcmp(name, "level1") == 0) {
    *lines = level1;
    *n = sizeof level1 / sizeof level1[0];
    return TK_OK;
  }
  if (name == NULL || strcmp(name, "bsim4") == 0) {
    *lines = bsim4;
    *n = sizeof bsim4 / sizeof bsim4[0];
    return TK_OK;
  }
  return TK_FAIL(err, TK_EINVAL, "unknown model card '%s' (level1, bsim4)",
                 name);
}
