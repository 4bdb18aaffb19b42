/* cal_summary.h -- the key=value summary of a calibration run (the
 * figures a command prints on its one stdout line: fit_v0_V=, tau_s=,
 * mc_sd_v0_V=, verify_tv= ...), collected by the library in the order
 * they are found, as typed values: a front end formats them (the command
 * line prints them as its key=value summary line).
 *
 * Workload: tens of short entries per run.
 */
#ifndef CAL_SUMMARY_H
#define CAL_SUMMARY_H

#include <stddef.h>

#define CAL_SUMMARY_MAX 48      /* entries */
#define CAL_SUMMARY_KEY 48      /* bytes of a key, with its NUL */
#define CAL_SUMMARY_VAL 256     /* bytes of a value, with its NUL */

typedef enum { CAL_SUMMARY_DOUBLE, CAL_SUMMARY_LONG, CAL_SUMMARY_STR }
    cal_summary_type;

typedef struct cal_summary_entry {
  char key[CAL_SUMMARY_KEY];    /* "fit_v0_V" */
  cal_summary_type type;        /* which of the values below */
  double d;                     /* CAL_SUMMARY_DOUBLE */
  long l;                       /* CAL_SUMMARY_LONG */
  char s[CAL_SUMMARY_VAL];      /* CAL_SUMMARY_STR (a list: "0.1,0.2") */
} cal_summary_entry;

typedef struct cal_summary {
  size_t n;                     /* entries used, <= CAL_SUMMARY_MAX */
  cal_summary_entry e[CAL_SUMMARY_MAX];
} cal_summary;

void cal_summary_init(cal_summary *s);
/* Append key=value (entries beyond CAL_SUMMARY_MAX are dropped; longer
 * keys and values are cut). */
void cal_summary_str(cal_summary *s, const char *key, const char *val);
void cal_summary_double(cal_summary *s, const char *key, double v);
void cal_summary_long(cal_summary *s, const char *key, long v);
/* Append every entry of src to s. */
void cal_summary_cat(cal_summary *s, const cal_summary *src);
/* Entry of key, or NULL. */
const cal_summary_entry *cal_summary_get(const cal_summary *s,
                                         const char *key);

#endif
