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

/* A new entry for key, or NULL when full. */
static cal_summary_entry *add(cal_summary *s, const char *key,
                              cal_summary_type type)
{
  if (s->n >= CAL_SUMMARY_MAX)
    return NULL;
  cal_summary_entry *e = &s->e[s->n++];
  memset(e, 0, sizeof *e);
  snprintf(e->key, sizeof e->key, "%s", key);
  e->type = type;
  return e;
}

void cal_summary_str(cal_summary *s, const char *key, const char *val)
{
  cal_summary_entry *e = add(s, key, CAL_SUMMARY_STR);
  if (e != NULL)
    snprintf(e->s, sizeof e->s, "%s", val);
}

void cal_summary_double(cal_summary *s, const char *key, double v)
{
  cal_summary_entry *e = add(s, key, CAL_SUMMARY_DOUBLE);
  if (e != NULL)
    e->d = v;
}

void cal_summary_long(cal_summary *s, const char *key, long v)
{
  cal_summary_entry *e = add(s, key, CAL_SUMMARY_LONG);
  if (e != NULL)
    e->l = v;
}

void cal_summary_cat(cal_summary *s, const cal_summary *src)
{
  for (size_t i = 0; i < src->n && s->n < CAL_SUMMARY_MAX; i++)
    s->e[s->n++] = src->e[i];
}

const cal_summary_entry *cal_summary_get(const cal_summary *s,
                                         const char *key)
{
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->e[i].key, key) == 0)
      return &s->e[i];
  return NULL;
}
