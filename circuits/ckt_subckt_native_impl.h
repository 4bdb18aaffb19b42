/* ckt_subckt_native_impl.h -- the translated circuit, shared by the
 * translation (ckt_subckt_native.c) and the cards, extraction and runs
 * (ckt_subckt_native_dev.c); not installed. */
#ifndef CKT_SUBCKT_NATIVE_IMPL_H
#define CKT_SUBCKT_NATIVE_IMPL_H

#include <stddef.h>

#include "circuits/ckt_names_impl.h"
#include "circuits/ckt_session.h"
#include "circuits/ckt_subckt_native.h"
#include "physics/phys_cell.h"
#include "physics/phys_moscap.h"

#define NET_MAX CKT_PF_NAME_MAX
#define SN_USE " (use --engine ngspice)"

/* A net of the expanded circuit. */
typedef struct sn_net {
  char name[NET_MAX];   /* ngspice's expanded name ("x_tk.x1.mid", "tk_q") */
  int fixed;            /* 1: held at v_V (a port's source, a DC source) */
  int ground;           /* 1: node 0 */
  int supply;           /* 1: the supply port (energy counted) */
  double v_V;           /* fixed: its voltage */
  double c_F;           /* free: capacitance to ground of the C elements */
  int touched;          /* free: a drain, gate, source or resistor on it */
  int node;             /* phys_cell node index (set when built) */
} sn_net;

/* A distinct model card. */
typedef struct sn_card {
  char model[NET_MAX];  /* the name ngspice gives it (lower case) */
  phys_mos_type type;   /* nmos / pmos */
  char **lines;         /* .param, .func lines and the .model line */
  size_t n;             /* their number */
  double ute;           /* mobility exponent of u0 (card ute) */
  double tnom_K;        /* its nominal temperature */
} sn_card;

/* A distinct device: card and size (its EKV fit and charges). */
typedef struct sn_kind {
  size_t card;          /* index in cards */
  double w_m, l_m;      /* size */
  phys_mos_cv cv;       /* charges at the card's tnom (kp_cv scaled per T) */
  size_t first;         /* a device of this kind (for messages) */
} sn_kind;

/* Device parameters at one temperature. */
typedef struct sn_temp {
  double temp_K;        /* temperature */
  phys_mos_params *p;   /* [nkind] EKV rows at temp_K (tnom_K = temp_K) */
  phys_mos_cv *cv;      /* [nkind] charges there */
} sn_temp;

typedef struct sn_mos {
  size_t inst;          /* element instance */
  size_t kind;          /* index in kinds */
  int net[4];           /* d g s b */
} sn_mos;

typedef struct sn_res {
  size_t inst;          /* element instance */
  int a, b;             /* nets */
  double r_ohm, m, tc1, tc2, tce; /* ngspice's values (preflight) */
  int noisy;            /* 0: noisy=0 */
} sn_res;

struct ckt_sn {
  const ckt_subckt *s;  /* the parsed file */
  const ckt_preflight *pf; /* its preflight */
  double vdd_V;         /* supply: the extraction's bias range */
  sn_net *net;          /* [nnet] nets */
  size_t nnet, cap_net;
  sn_card *card;        /* [ncard] cards */
  size_t ncard;
  sn_kind *kind;        /* [nkind] device kinds */
  size_t nkind;
  sn_mos *mos;          /* [nmos] MOSFETs, in instance order */
  size_t nmos;
  sn_res *res;          /* [nres] resistors */
  size_t nres;
  size_t n_c, n_v;      /* capacitors and DC sources translated */
  int ctl_net, out_net; /* the control and output ports' nets */
  phys_cell *cell;      /* the cell (devices at the last prepared T) */
  int ctl_node;         /* its control node */
  size_t nfree;         /* free nodes */
  sn_temp *tc;          /* [ntc] extraction cache */
  size_t ntc;
  double fit_max;       /* worst max |I_EKV / I_card - 1| so far */
};

/* Instance parameters that must equal those of a plain `M d g s b NAME
 * W= L=` (the device the extraction sees), NULL-terminated; CKT__SN_NPAR
 * entries with the NULL. */
extern const char *const ckt__sn_inst_pars[];
#define CKT__SN_NPAR 15

/* "element x1.d1 (D1 in subcircuit tkinv)" */
void ckt__sn_el_name(const ckt_sn *n, size_t inst, char *buf, size_t size);
/* The card of model `model` for element inst (see ckt_subckt_native.h);
 * TK_EINVAL naming what is missing.  *c is freed by ckt__sn_card_free
 * also on failure. */
int ckt__sn_card_load(ckt_sn *n, size_t inst, const char *model,
                      sn_card *c, tk_err *err);
void ckt__sn_card_free(sn_card *c);
/* Each kind's charges from its card, and every device's instance
 * parameters ipar[nmos][CKT__SN_NPAR] against the plain device's. */
int ckt__sn_kinds_cv(ckt_sn *n, const double *ipar, tk_err *err);

#endif
