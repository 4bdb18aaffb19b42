/* phys_const.h -- physical constants (SI, CODATA 2018 exact values). */
#ifndef PHYS_CONST_H
#define PHYS_CONST_H

#define PHYS_Q_C 1.602176634e-19       /* elementary charge */
#define PHYS_KB_J_PER_K 1.380649e-23   /* Boltzmann constant */
#define PHYS_T0_K 273.15               /* 0 degC */
#define PHYS_TNOM_K 300.15             /* 27 degC, the SPICE nominal */

/* Thermal voltage kT/q. */
static inline double phys_vt_V(double temp_K)
{
  return PHYS_KB_J_PER_K * temp_K / PHYS_Q_C;
}

/* Thermal energy kT. */
static inline double phys_kt_J(double temp_K)
{
  return PHYS_KB_J_PER_K * temp_K;
}

#endif
