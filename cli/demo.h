/* demo.h -- the steps of `tsukit demo` (one function per layer).
 *
 * Each step runs on built-in defaults, writes NAME.h5 and NAME.png into
 * ctx->out_dir, and appends its headline numbers to the summary line.
 */
#ifndef DEMO_H
#define DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cmd.h"
#include "common/tk_error.h"

typedef struct demo_ctx {
  const char *out_dir;  /* folder for the files */
  int quick;            /* 1: shorter runs */
  uint64_t seed;        /* random seed */
} demo_ctx;

typedef int (*demo_fn)(const demo_ctx *ctx, cmd_kv *kv, tk_err *err);

typedef struct demo_step {
  const char *name;     /* file stem and step name */
  demo_fn fn;           /* the step */
  const char *summary;  /* one line for --help and progress */
} demo_step;

extern const demo_step demo_steps[];
extern const size_t demo_n_steps;

int demo_device(const demo_ctx *ctx, cmd_kv *kv, tk_err *err);
int demo_cells(const demo_ctx *ctx, cmd_kv *kv, tk_err *err);
int demo_doublewell(const demo_ctx *ctx, cmd_kv *kv, tk_err *err);
int demo_chip(const demo_ctx *ctx, cmd_kv *kv, tk_err *err);
int demo_dtm(const demo_ctx *ctx, cmd_kv *kv, tk_err *err);

#endif
