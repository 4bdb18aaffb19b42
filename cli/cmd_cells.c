/* cmd_cells.c -- `tsukit cells`: the shipped sampling cells, one line each
 * of key=value pairs (name, kind, ports, controls, range_V, vdd_V, tau_s).
 *
 * Workload: a static table of a few entries; no simulation.
 */
#include <stdio.h>

#include "circuits/cells/ckt_cells.h"
#include "cli/cmd.h"

int cmd_cells(int argc, char **argv)
{
  if (cmd_wants_help(argc, argv)) {
    printf("usage: tsukit cells\n\nLists the shipped cells: name= kind= ports= "
           "controls= range_V=LO:HI[,LO:HI...] (one range per control, in\n"
           "the order of controls=) vdd_V= tau_s= (nominal); a cell whose\n"
           "correlation time is set by a documented bias knob adds knob=OPTION\n"
           "knob_range_V=LO:HI (pbit-fast: --vdd 0.2:0.4, tau ~1 us to ~46 ns;\n"
           "range_V is at the default vdd_V, the trip point follows the knob).\n");
    return CMD_EXIT_OK;
  }
  if (argc > 1)
    return cmd_usage_error("cells", "unexpected argument '%s'", argv[1]);
  for (size_t i = 0; i < ckt_cell_count(); i++) {
    const ckt_cell_info *ci = ckt_cell_at(i);
    char range[256];
    size_t len = 0;
    range[0] = '\0';
    for (size_t c = 0; c < ci->n_ctl; c++)
      len += (size_t)snprintf(range + len, sizeof range - len, "%s%g:%g",
                              c ? "," : "", ci->lo_V[c], ci->hi_V[c]);
    printf("name=%s kind=%s ports=%s controls=%s range_V=%s outputs=%s "
           "vdd_V=%g tau_s=%g",
           ci->name, ckt_cellkind_name(ci->cellkind), ci->ports, ci->controls, range, ci->outputs,
           ci->vdd_V, ci->tau_s);
    const ckt_cell_knob *kn = ckt_cell_knob_of(ci);
    if (kn != NULL)
      printf(" knob=%s knob_range_V=%g:%g", kn->knob, kn->lo_V, kn->hi_V);
    printf("\n");
  }
  return CMD_EXIT_OK;
}
