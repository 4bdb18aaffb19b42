/* ckt_names.c -- ngspice's instance names matched to tsukit's (see
 * ckt_names_impl.h). */
#include "circuits/ckt_names_impl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* An instance name is never a single type letter (X lines start with x),
 * so a one-letter level equal to the leaf's letter is ngspice's prefix. */
void ckt__names_normalise(const char *name, char *out, size_t size)
{
  const char *leaf = strrchr(name, '.');
  char letter = (char)tolower((unsigned char)(leaf ? leaf[1] : name[0]));
  size_t n = 0;
  out[0] = '\0';
  for (const char *p = name; *p;) {
    const char *e = strchr(p, '.');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    int drop = e != NULL && len == 1 && tolower((unsigned char)*p) == letter;
    if (!drop && n + (n > 0) + len < size) {
      if (n > 0)
        out[n++] = '.';
      for (size_t i = 0; i < len; i++)
        out[n + i] = (char)tolower((unsigned char)p[i]);
      n += len;
      out[n] = '\0';
    }
    p += len + (e != NULL);
  }
}

void ckt__names_free(ckt__names *nm)
{
  if (nm == NULL)
    return;
  ckt_session_names_free(nm->name, nm->n);
  if (nm->norm != NULL)
    for (size_t i = 0; i < nm->n; i++)
      free(nm->norm[i]);
  free(nm->norm);
  free(nm->card);
  free(nm->used);
  memset(nm, 0, sizeof *nm);
}

int ckt__names_load(ckt_session *ses, ckt__names *nm, tk_err *err)
{
  memset(nm, 0, sizeof *nm);
  TK_TRY(ckt_session_instances(ses, &nm->name, &nm->n, err));
  nm->norm = calloc(nm->n + 1, sizeof *nm->norm);
  nm->card = calloc(nm->n + 1, sizeof *nm->card);
  nm->used = calloc(nm->n + 1, 1);
  if (nm->norm == NULL || nm->card == NULL || nm->used == NULL) {
    ckt__names_free(nm);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < nm->n; i++) {
    /* the card's first word is the name, the rest kept */
    char *sp = strpbrk(nm->name[i], " \t");
    nm->card[i] = sp ? sp + 1 : nm->name[i] + strlen(nm->name[i]);
    if (sp != NULL)
      *sp = '\0';
    size_t len = strlen(nm->name[i]) + 1;
    if ((nm->norm[i] = malloc(len)) == NULL) {
      ckt__names_free(nm);
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    }
    ckt__names_normalise(nm->name[i], nm->norm[i], len);
  }
  return TK_OK;
}

int ckt__names_find(ckt__names *nm, const char *path)
{
  for (size_t i = 0; i < nm->n; i++)
    if (strcasecmp(nm->norm[i], path) == 0) {
      nm->used[i] = 1;
      return (int)i;
    }
  return -1;
}
