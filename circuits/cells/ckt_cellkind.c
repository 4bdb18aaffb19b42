/* ckt_cellkind.c -- the cell-kind table (see ckt_cellkind.h). */
#include "circuits/cells/ckt_cellkind.h"

#include <stddef.h>
#include <string.h>

static const ckt_cellkind_info kinds[CKT_CELL_N_KINDS] = {
  {CKT_CELL_PBIT, "pbit", 2, 0},
  {CKT_CELL_CATEGORICAL, "categorical", 4, 0},
  {CKT_CELL_GMM, "gmm", 2, 1},
};

const ckt_cellkind_info *ckt_cellkind_get(ckt_cellkind k)
{
  return (unsigned)k < CKT_CELL_N_KINDS ? &kinds[k] : NULL;
}

const char *ckt_cellkind_name(ckt_cellkind k)
{
  return (unsigned)k < CKT_CELL_N_KINDS ? kinds[k].name : "?";
}

int ckt_cellkind_from_name(const char *name, ckt_cellkind *out, tk_err *err)
{
  for (int k = 0; name != NULL && k < CKT_CELL_N_KINDS; k++)
    if (strcmp(kinds[k].name, name) == 0) {
      *out = (ckt_cellkind)k;
      return TK_OK;
    }
  return TK_FAIL(err, TK_EINVAL, "cell kind '%s' is none of pbit, "
                 "categorical, gmm", name != NULL ? name : "(null)");
}
