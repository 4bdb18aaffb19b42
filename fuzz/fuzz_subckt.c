/* fuzz_subckt.c -- the SPICE .subckt lexer, parser and flattener of
 * `tsukit characterize` (circuits/ckt_subckt.h), without ngspice.
 *
 * Input: the first line is the subcircuit NAME, the rest the deck,
 * written as deck.cir in a private folder (so `.include deck.cir` is the
 * deck including itself).  Contract: on success the flattened instances
 * and MOSFETs are within bounds and NUL-terminated, every port is found
 * by name, and the netlist plan and the text netlist build (they are
 * what ngspice would get); or a one-line error. */
#include "fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "circuits/ckt_sim.h"
#include "circuits/ckt_subckt.h"

static void check(const ckt_subckt *s)
{
  size_t np = ckt_subckt_nports(s);
  for (size_t i = 0; i < np; i++) {
    const char *p = ckt_subckt_port(s, i);
    if (p == NULL || ckt_subckt_find_port(s, p) < 0)
      fuzz_fail("ckt_subckt_load", "a port is not found by its name");
  }
  for (size_t i = 0; i < ckt_subckt_nmos(s); i++) {
    const ckt_subckt_mos *m = ckt_subckt_mos_at(s, i);
    if (strnlen(m->path, sizeof m->path) == sizeof m->path)
      fuzz_fail("ckt_subckt_load", "unterminated MOSFET path");
  }
  for (size_t i = 0; i < ckt_subckt_ninst(s); i++) {
    const ckt_subckt_inst *e = ckt_subckt_inst_at(s, i);
    if (strnlen(e->path, sizeof e->path) == sizeof e->path || e->def == NULL)
      fuzz_fail("ckt_subckt_load", "bad flattened instance");
  }
  /* the decks tsukit hands ngspice: ports fixed, grounded or free in
   * turn; every source an element can carry switched on */
  ckt_port_bind *bind = calloc(np ? np : 1, sizeof *bind);
  size_t ni = ckt_subckt_ninst(s);
  unsigned char *on = calloc(ni ? ni * CKT_SRC_N : 1, 1);
  if (bind == NULL || on == NULL) {
    free(bind);
    free(on);
    return;
  }
  static const ckt_port_kind cycle[3] = {CKT_PORT_FIXED, CKT_PORT_GROUND,
                                         CKT_PORT_FREE};
  for (size_t i = 0; i < np; i++) {
    bind[i].kind = cycle[i % 3];
    bind[i].v_V = 0.4385;
  }
  for (size_t i = 0; i < ni; i++)
    for (int t = 0; t < CKT_SRC_N; t++)
      on[i * CKT_SRC_N + t] = (unsigned char)ckt_subckt_can_source(
          ckt_subckt_inst_at(s, i)->kind, (ckt_src_type)t);
  ckt_sim_params p = ckt_sim_default_params();
  tk_err err = {0};
  ckt_netlist nl;
  char **dev = NULL;
  int rc = ckt_subckt_netlist(s, bind, &p, &nl, &dev, &err);
  fuzz_check_error(rc, &err, "ckt_subckt_netlist");
  if (rc == 0) {
    char *t = ckt_netlist_text(&nl);
    if (t == NULL || nl.n_noise != ckt_subckt_nmos(s))
      fuzz_fail("ckt_subckt_netlist", "netlist disagrees with the MOSFETs");
    free(t);
    ckt_netlist_clear(&nl);
    ckt_subckt_devs_free(dev, ckt_subckt_nmos(s));
  }
  ckt_subckt_src *srcs = NULL;
  size_t nsrc = 0;
  tk_err_clear(&err);
  rc = ckt_subckt_netlist_plan(s, bind, &p, on, "all", &nl, &srcs, &nsrc,
                               &err);
  fuzz_check_error(rc, &err, "ckt_subckt_netlist_plan");
  if (rc == 0) {
    for (size_t k = 0; k < nsrc; k++)
      if (srcs[k].inst >= ni || (int)srcs[k].type >= CKT_SRC_N ||
          strnlen(srcs[k].path, sizeof srcs[k].path) == sizeof srcs[k].path)
        fuzz_fail("ckt_subckt_netlist_plan", "bad noise source");
    char *t = ckt_netlist_text(&nl);
    free(t);
    ckt_netlist_clear(&nl);
    free(srcs);
  }
  free(on);
  free(bind);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const uint8_t *nl = memchr(data, '\n', size);
  if (nl == NULL)
    return 0;
  char *name = fuzz_string(data, (size_t)(nl - data));
  if (name == NULL)
    return 0;
  size_t off = (size_t)(nl - data) + 1;
  const char *path = fuzz_dirfile(data + off, size - off, "deck.cir");
  if (path != NULL) {
    tk_err err = {0};
    ckt_subckt *s = NULL;
    int rc = ckt_subckt_load(path, name, &s, &err);
    fuzz_check_error(rc, &err, "ckt_subckt_load");
    if (rc == 0)
      check(s);
    else if (s != NULL)
      fuzz_fail("ckt_subckt_load", "failure left a subcircuit");
    ckt_subckt_free(s);
  }
  free(name);
  return 0;
}
