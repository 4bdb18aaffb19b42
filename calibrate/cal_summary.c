/* cal_summary.c -- the key=value summary of a calibration run (see
 * cal_summary.h).
 */
#include "calibrate/cal_summary.h"

#include <stdio.h>
#include <string.h>

void cal_summary_init(cal_summary *s)
{
  s->n = 0;
}

void cal_summary_str(cal_summary *s, const char *key, const char *val)
{
  if (s->n >= CAL_SUMMARY_MAX)
    return;
  cal_summary_entry *e = &s->e[s->n++];
  snprintf(e->key, sizeof e->key, "%s", key);
  snprintf(e->val, sizeof e->val, "%s", val);
}

void cal_summary_double(cal_summary *s, const char *key, double v)
{
  char b[64];
  snprintf(b, sizeof b, "%.6g", v);
  cal_summary_str(s, key, b);
}

void cal_summary_long(cal_summary *s, const char *key, long v)
{
  char b[32];
  snprintf(b, sizeof b, "%ld", v);
  cal_summary_str(s, key, b);
}

void cal_summary_cat(cal_summary *s, const cal_summary *src)
{
  for (size_t i = 0; i < src->n; i++)
    cal_summary_str(s, src->e[i].key, src->e[i].val);
}

const char *cal_summary_get(const cal_summary *s, const char *key)
{
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->e[i].key, key) == 0)
      return s->e[i].val;
  return NULL;
}
