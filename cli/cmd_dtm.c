/* cmd_dtm.c -- `tsukit dtm train|sample|eval`: the Denoising
 * Thermodynamic Model on binarised Fashion-MNIST (tsu/tsu_dtm.h).
 *
 * train: checkpoints the whole model (weights, Adam state, history) after
 *   every epoch by writing FILE.partial and renaming it over FILE, so an
 *   interrupted run loses at most the epoch in progress and --resume goes
 *   on from the last checkpoint.
 * sample: generates on ideal or calibrated cells and reports the energy
 *   per sample from the chip's energy accounting beside the paper's
 *   formula.
 * eval: cmd_dtm_eval.c.
 */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cmd.h"
#include "io/io_dtm.h"
#include "common/tk_parse.h"
#include "common/tk_progress.h"
#include "io/io_cells.h"
#include "io/io_h5.h"
#include "io/io_idx.h"
#include "tsu/tsu_celltab.h"
#include "tsu/tsu_energy.h"
#ifdef TK_HAVE_MPI
#include <mpi.h>
#endif

int cmd_dtm_eval_kv(int argc, char **argv, cmd_kv *kv);

static void usage(FILE *f)
{
  fprintf(f,
    "usage: tsukit dtm train  --data fashion-mnist|DIR -o MODEL.h5 [options]\n"
    "       tsukit dtm sample --model MODEL.h5 --n N -o SAMPLES.h5 [options]\n"
    "       tsukit dtm eval   --model MODEL.h5 --samples SAMPLES.h5 [options]\n"
    "\n"
    "A chain of T conditional energy-based models on an L x L TSU grid, each\n"
    "denoising the previous step's output (forward process: independent bit\n"
    "flips), trained by moment matching with Adam on binarised Fashion-MNIST\n"
    "(pixel > 0.1; labels as 10 one-hot copies: 884 visible spins).\n"
    "'tsukit dtm train --help' etc. list each subcommand's options.\n");
}

static void usage_train(FILE *f)
{
  fprintf(f,
    "usage: tsukit dtm train --data fashion-mnist|DIR -o MODEL.h5\n"
    "         [--steps T] [--graph G12] [--L 70] [--epochs E] [--batch B]\n"
    "         [--sweeps K] [--sweeps-pos K] [--record R] [--acp|--no-acp]\n"
    "         [--acp-target R] [--acp-every N] [--lr X] [--fresh-chains]\n"
    "         [--train-limit N] [--seed S] [--threads N] [--resume|--force]\n"
    "         [--stop-after N]\n"
    "\n"
    "  --data D        fashion-mnist (the Debian package dataset-fashion-mnist,\n"
    "                  %s) or a folder with its IDX files\n"
    "  --steps T       denoising steps, 1..64 (default 4; 1 = monolithic EBM)\n"
    "  --graph G       jump set G4..G24 (default G12); --L side (default 70, >= 43)\n"
    "  --epochs E      total epochs; with --resume, training goes on to E\n"
    "  --batch B       examples per gradient step, multiple of 64 (default 64)\n"
    "  --sweeps K      Gibbs sweeps of the negative phase (default 250)\n"
    "  --sweeps-pos K  sweeps of the positive phase (default 50)\n"
    "  --record R      last sweeps of each phase averaged (default 16)\n"
    "  --acp, --no-acp adaptive correlation penalty (default on)\n"
    "  --acp-target R  autocorrelation at lag K to stay below (default 0.1)\n"
    "  --acp-every N   batches between measurements (default: once per epoch)\n"
    "  --lr X          Adam learning rate (default 0.02, cosine to 10 %%)\n"
    "  --fresh-chains  restart the chains every batch (default: persistent)\n"
    "  --train-limit N train on the first N images (default all 60000)\n"
    "  --threads N     OpenMP threads (steps train in parallel), 0 = all\n"
    "  --resume        continue MODEL.h5 from its last checkpoint\n"
    "  --stop-after N  stop after N epochs of this run (resume later; the\n"
    "                  schedule still spans --epochs)\n"
    "  --force         overwrite an existing MODEL.h5\n"
    "\n"
    "Summary: epochs steps wall_s images_per_s flips_per_ns autocorr\n"
    "acp_lambda_max.\n", TK_FASHION_MNIST_DIR);
}

static void usage_sample(FILE *f)
{
  fprintf(f,
    "usage: tsukit dtm sample --model MODEL.h5 --n N -o SAMPLES.h5\n"
    "         [--label C|all] [--sweeps K] [--steps T] [--seed S]\n"
    "         [--cells LIB.h5 --cell NAME --temp K [--design-temp K]\n"
    "          [--clock-hz F]] [--threads N] [--force]\n"
    "\n"
    "  --n N           samples, 1..1000000\n"
    "  --label C|all   clamp the label spins to class C (0..9), or 'all' for\n"
    "                  n/10 per class; default free labels\n"
    "  --sweeps K      sweeps per step (default: the model's)\n"
    "  --steps T       check that the model has T steps\n"
    "  --cells ...     run on calibrated cells from a cell library at chip\n"
    "                  temperature --temp (design temperature default 300 K,\n"
    "                  clock default 1e7 Hz): mismatch and finite tau\n"
    "\n"
    "Writes images [n,28,28], labels, the denoising chain of the first 16\n"
    "samples and the energy report.  Summary: samples steps sweeps wall_s\n"
    "flips_per_ns activity energy_per_sample_J paper_energy_per_sample_J\n"
    "energy_ratio.\n");
}

/* ---- train ------------------------------------------------------------ */

typedef struct train_opts {
  const char *data, *out;
  tsu_dtm_params p;
  size_t limit;
  uint32_t stop_after;   /* epochs to run now at most (0: up to --epochs) */
  int threads, resume, force;
  int set_steps, set_graph, set_L;
} train_opts;

static int parse_u32(const char *s, const char *opt, uint32_t lo, uint32_t hi,
                     uint32_t *v)
{
  char *end;
  double x = strtod(s, &end);
  if (*s == '\0' || *end != '\0' || !(x >= lo && x <= hi) || x != floor(x))
    return cmd_usage_error("dtm", "%s: '%s' is not an integer in %u..%u", opt,
                           s, lo, hi);
  *v = (uint32_t)x;
  return 0;
}

static int parse_pos(const char *s, const char *opt, double *v)
{
  char *end;
  double x = strtod(s, &end);
  if (*s == '\0' || *end != '\0' || !(x > 0) || !isfinite(x))
    return cmd_usage_error("dtm", "%s: '%s' is not a positive number", opt, s);
  *v = x;
  return 0;
}

static int parse_seed(const char *s, uint64_t *v)
{
  char *end;
  unsigned long long x = strtoull(s, &end, 0);
  if (*s == '\0' || *end != '\0' || *s == '-')
    return cmd_usage_error("dtm", "--seed: '%s' is not an unsigned integer", s);
  *v = x;
  return 0;
}

enum {
  O_DATA = 1000, O_STEPS, O_GRAPH, O_L, O_EPOCHS, O_BATCH, O_SWEEPS, O_SPOS,
  O_REC, O_ACP, O_NOACP, O_ACPT, O_ACPE, O_LR, O_FRESH, O_LIMIT, O_SEED,
  O_THREADS, O_RESUME, O_FORCE, O_MODEL, O_N, O_LABEL, O_CELLS, O_CELL,
  O_TEMP, O_DTEMP, O_CLOCK, O_STOP
};

static int train_parse(int argc, char **argv, train_opts *o)
{
  static const struct option lo[] = {
    {"data", 1, 0, O_DATA}, {"steps", 1, 0, O_STEPS}, {"graph", 1, 0, O_GRAPH},
    {"L", 1, 0, O_L}, {"epochs", 1, 0, O_EPOCHS}, {"batch", 1, 0, O_BATCH},
    {"sweeps", 1, 0, O_SWEEPS}, {"sweeps-pos", 1, 0, O_SPOS},
    {"record", 1, 0, O_REC}, {"acp", 0, 0, O_ACP}, {"no-acp", 0, 0, O_NOACP},
    {"acp-target", 1, 0, O_ACPT}, {"acp-every", 1, 0, O_ACPE},
    {"lr", 1, 0, O_LR}, {"fresh-chains", 0, 0, O_FRESH},
    {"train-limit", 1, 0, O_LIMIT}, {"seed", 1, 0, O_SEED},
    {"threads", 1, 0, O_THREADS}, {"resume", 0, 0, O_RESUME},
    {"force", 0, 0, O_FORCE}, {"stop-after", 1, 0, O_STOP},
    {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
  int c, rc = 0;
  uint32_t u;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
    switch (c) {
    case 'h': usage_train(stdout); return -1;
    case O_STOP: rc = parse_u32(optarg, "--stop-after", 1, 100000, &o->stop_after); break;
    case 'o': o->out = optarg; break;
    case O_DATA: o->data = optarg; break;
    case O_STEPS: rc = parse_u32(optarg, "--steps", 1, 64, &o->p.T); o->set_steps = 1; break;
    case O_GRAPH: {
      int nj = tsu_grid_name_jumps(optarg);
      if (nj < 1)
        return cmd_usage_error("dtm", "--graph: '%s' is not G4, G8, ..., G24", optarg);
      o->p.n_jumps = nj;
      o->set_graph = 1;
      break;
    }
    case O_L: rc = parse_u32(optarg, "--L", 43, 1024, &o->p.L); o->set_L = 1; break;
    case O_EPOCHS: rc = parse_u32(optarg, "--epochs", 1, 100000, &o->p.epochs); break;
    case O_BATCH: rc = parse_u32(optarg, "--batch", 64, 65536, &o->p.batch); break;
    case O_SWEEPS: rc = parse_u32(optarg, "--sweeps", 1, 1000000, &o->p.sweeps); break;
    case O_SPOS: rc = parse_u32(optarg, "--sweeps-pos", 1, 1000000, &o->p.sweeps_pos); break;
    case O_REC: rc = parse_u32(optarg, "--record", 1, 1000000, &o->p.record); break;
    case O_ACP: o->p.acp = 1; break;
    case O_NOACP: o->p.acp = 0; break;
    case O_ACPT: rc = parse_pos(optarg, "--acp-target", &o->p.acp_target); break;
    case O_ACPE: rc = parse_u32(optarg, "--acp-every", 1, 100000000, &o->p.acp_every); break;
    case O_LR: rc = parse_pos(optarg, "--lr", &o->p.lr); break;
    case O_FRESH: o->p.persistent = 0; break;
    case O_LIMIT: rc = parse_u32(optarg, "--train-limit", 64, 60000, &u); o->limit = u; break;
    case O_SEED: rc = parse_seed(optarg, &o->p.seed); break;
    case O_THREADS: rc = parse_u32(optarg, "--threads", 0, 1024, &u); o->threads = (int)u; break;
    case O_RESUME: o->resume = 1; break;
    case O_FORCE: o->force = 1; break;
    default:
      return cmd_usage_error("dtm", "train: unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
  }
  if (rc != 0)
    return rc;
  if (optind < argc)
    return cmd_usage_error("dtm", "train: unexpected argument '%s'", argv[optind]);
  if (o->out == NULL)
    return cmd_usage_error("dtm", "train: -o MODEL.h5 is required");
  if (o->data == NULL)
    return cmd_usage_error("dtm", "train: --data fashion-mnist (or a folder) is required");
  if (o->resume && o->force)
    return cmd_usage_error("dtm", "train: --resume and --force exclude each other");
  if (o->p.record > o->p.sweeps || o->p.record > o->p.sweeps_pos)
    return cmd_usage_error("dtm", "train: --record %u exceeds --sweeps or --sweeps-pos",
                           o->p.record);
  if (!(o->p.acp_target < 1))
    return cmd_usage_error("dtm", "train: --acp-target must be in (0, 1)");
  return 0;
}

/* Images as 0/1 bytes (pixel > 0.1 of full scale). */
int cmd_dtm_load_data(const char *data, const char *split, size_t limit,
                      io_image_set *set, tk_err *err);
int cmd_dtm_load_data(const char *data, const char *split, size_t limit,
                      io_image_set *set, tk_err *err)
{
  const char *dir = strcmp(data, "fashion-mnist") == 0 ? NULL : data;
  int rc = io_fashion_mnist_load(dir, split, limit, set, err);
  if (rc != TK_OK)
    return tk_err_wrap(err, rc, "Fashion-MNIST %s set (install the Debian "
                       "package dataset-fashion-mnist, or give --data DIR)",
                       split);
  if (set->rows * set->cols != TSU_DTM_N_PIX) {
    io_image_set_free(set);
    return TK_FAIL(err, TK_EFORMAT, "images are %zu x %zu, the DTM needs 28 x 28",
                   set->rows, set->cols);
  }
  tsu_dtm_binarise(set->pixels, set->n * TSU_DTM_N_PIX);
  return TK_OK;
}

#ifdef TK_HAVE_MPI
/* Data-parallel training under mpirun: the reductions tsu_dtm needs. */
static int mpi_sum_i64(int64_t *b, size_t n, void *ctx)
{
  (void)ctx;
  return MPI_Allreduce(MPI_IN_PLACE, b, (int)n, MPI_INT64_T, MPI_SUM,
                       MPI_COMM_WORLD) != MPI_SUCCESS;
}

static int mpi_sum_f64(double *b, size_t n, void *ctx)
{
  (void)ctx;
  return MPI_Allreduce(MPI_IN_PLACE, b, (int)n, MPI_DOUBLE, MPI_SUM,
                       MPI_COMM_WORLD) != MPI_SUCCESS;
}
#endif

/* The largest status over all ranks (every rank stops together). */
static int all_rc(int rc)
{
#ifdef TK_HAVE_MPI
  int out = rc;
  MPI_Allreduce(&rc, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return out;
#else
  return rc;
#endif
}

static void train_progress(void *ctx, double done)
{
  tk_progress_update(ctx, done);
}

static double max_of(const double *a, size_t n)
{
  double m = -INFINITY;
  for (size_t i = 0; i < n; i++)
    m = fmax(m, a[i]);
  return m;
}

static int dtm_train_body(const train_opts *o, int rank, int size,
                          const tsu_dtm_comm *comm, cmd_kv *kv);

static int dtm_train_kv(int argc, char **argv, cmd_kv *kv)
{
  train_opts o = {0};
  o.p = tsu_dtm_default_params();
  int prc = train_parse(argc, argv, &o);
  if (prc != 0)
    return prc < 0 ? CMD_EXIT_OK : prc;
  int rank = 0, size = 1;
#ifdef TK_HAVE_MPI
  int inited = 0;
  MPI_Initialized(&inited);
  if (!inited)
    MPI_Init(NULL, NULL);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  tsu_dtm_comm comm = {rank, size, mpi_sum_i64, mpi_sum_f64, NULL};
  if (rank != 0)
    setenv("TSUKIT_PROGRESS", "never", 1);
  cmd_kv quiet_kv;
  cmd_kv_init(&quiet_kv);
  int x = dtm_train_body(&o, rank, size, size > 1 ? &comm : NULL,
                         rank == 0 ? kv : &quiet_kv);
  if (!inited)
    MPI_Finalize();
  return x;
#else
  return dtm_train_body(&o, rank, size, NULL, kv);
#endif
}

static int dtm_train_body(const train_opts *op, int rank, int size,
                          const tsu_dtm_comm *comm, cmd_kv *kv)
{
  train_opts o = *op;
  tk_err err = {0};
  struct stat sb;
  int exists = stat(o.out, &sb) == 0;
  if (exists && !o.resume && !o.force)
    return cmd_usage_error("dtm", "%s exists: --resume to continue it or "
                           "--force to start over", o.out);
  if (!exists && o.resume)
    return cmd_usage_error("dtm", "--resume: %s does not exist", o.out);
  tsu_dtm *m = NULL;
  io_dtm_history hist = {0};
  io_image_set set = {0};
  int rc;
  if (o.resume) {
    rc = io_dtm_load(o.out, &m, &hist, &err);
    if (rc != TK_OK) {
      int x = cmd_fail("dtm", &err);
      return x;
    }
    if ((o.set_steps && o.p.T != m->p.T) ||
        (o.set_graph && o.p.n_jumps != m->p.n_jumps) ||
        (o.set_L && o.p.L != m->p.L)) {
      fprintf(stderr, "tsukit dtm: %s is a %u-step G%d L=%u model; the "
              "command asks for %u steps, G%d, L=%u\n", o.out, m->p.T,
              4 * m->p.n_jumps, m->p.L, o.p.T, 4 * o.p.n_jumps, o.p.L);
      tsu_dtm_free(m);
      io_dtm_history_free(&hist);
      return CMD_EXIT_USAGE;
    }
    m->p.epochs = o.p.epochs;
    if (m->epochs_done >= m->p.epochs)
      fprintf(stderr, "tsukit dtm: %s already has %u epochs (--epochs %u)\n",
              o.out, m->epochs_done, m->p.epochs);
  } else {
    rc = tsu_dtm_alloc(&o.p, &m, &err);
    if (rc != TK_OK)
      return rc == TK_ERANGE ? (fprintf(stderr, "tsukit dtm: %s\n", err.msg),
                                CMD_EXIT_USAGE)
                             : cmd_fail("dtm", &err);
  }
  rc = cmd_dtm_load_data(o.data, "train", o.limit, &set, &err);
  if (rc != TK_OK) {
    tsu_dtm_free(m);
    io_dtm_history_free(&hist);
    return cmd_fail("dtm", &err);
  }
  tsu_dtm_data d = {set.n, set.pixels, set.labels};
  double wall = 0, imgs = 0, fl = 0;
  uint32_t e0 = m->epochs_done;
  tsu_dtm_epoch_stats st;
  tsu_dtm_stats_alloc(m, &st);
  uint32_t stop_at = m->p.epochs;
  if (o.stop_after && e0 + o.stop_after < stop_at)
    stop_at = e0 + o.stop_after;
  while (rc == TK_OK && m->epochs_done < stop_at) {
    tk_progress pr;
    char label[64];
    snprintf(label, sizeof label, "dtm epoch %u/%u", m->epochs_done + 1,
             m->p.epochs);
    tk_progress_init(&pr, label, 1.0, 0);
    tsu_dtm_stats_free(&st);
    tsu_dtm_stats_alloc(m, &st);
    rc = tsu_dtm_train_epoch_comm(m, &d, o.threads, comm, train_progress,
                                  &pr, &st, &err);
    tk_progress_finish(&pr);
    if (all_rc(rc) != TK_OK) {
      if (rc == TK_OK)
        rc = TK_FAIL(&err, TK_EIO, "another MPI rank failed");
      break;
    }
    wall += st.wall_s;
    imgs += st.images_per_s * st.wall_s;
    fl += st.flips;
    rc = io_dtm_history_add(&hist, m, &st, &err);
    if (rc == TK_OK && rank == 0)
      rc = io_dtm_save(o.out, m, &hist, cmd_command_line(), 1, &err);
    if (all_rc(rc) != TK_OK && rc == TK_OK)
      rc = TK_FAIL(&err, TK_EIO, "rank 0 could not write the checkpoint");
    if (rc == TK_OK && rank == 0) {
      fprintf(stderr, "tsukit dtm: epoch %u: %.1f s, %.0f images/s, %.2f "
              "flips/ns, autocorr", m->epochs_done, st.wall_s,
              st.images_per_s, st.flips_per_ns);
      for (uint32_t k = 0; k < m->p.T; k++)
        fprintf(stderr, " %.3f", st.autocorr[k]);
      fprintf(stderr, ", penalty");
      for (uint32_t k = 0; k < m->p.T; k++)
        fprintf(stderr, " %.3g", m->acp_lambda[k]);
      fprintf(stderr, "; checkpoint %s\n", o.out);
    }
  }
  int x = CMD_EXIT_OK;
  if (rc != TK_OK) {
    x = cmd_fail("dtm", &err);
    if (m->epochs_done > 0)
      fprintf(stderr, "tsukit dtm: the last good checkpoint (epoch %u) is "
              "kept in %s\n", m->epochs_done, o.out);
  } else {
    if (m->epochs_done == e0 && !o.resume && rank == 0)
      rc = io_dtm_save(o.out, m, &hist, cmd_command_line(), 1, &err);
    cmd_kv_long(kv, "ranks", (long)size);
    cmd_kv_long(kv, "epochs", (long)m->epochs_done);
    cmd_kv_long(kv, "steps", (long)m->p.T);
    cmd_kv_double(kv, "wall_s", wall);
    cmd_kv_double(kv, "images_per_s", wall > 0 ? imgs / wall : 0);
    cmd_kv_double(kv, "flips_per_ns", wall > 0 ? fl / wall * 1e-9 : 0);
    cmd_kv_double(kv, "autocorr", hist.n_epoch
                  ? max_of(hist.autocorr + (hist.n_epoch - 1) * m->p.T, m->p.T)
                  : NAN);
    cmd_kv_double(kv, "acp_lambda_max", max_of(m->acp_lambda, m->p.T));
    cmd_kv_str(kv, "model", o.out);
  }
  tsu_dtm_stats_free(&st);
  tsu_dtm_free(m);
  io_dtm_history_free(&hist);
  io_image_set_free(&set);
  return x;
}

/* ---- sample ----------------------------------------------------------- */

typedef struct sample_opts {
  const char *model, *out, *cells, *cell;
  uint32_t n, sweeps, steps;
  int label;             /* -1 free, 0..9, 10 = all */
  double temp_K, design_K, clock_Hz;
  int have_temp, threads, force;
  uint64_t seed;
} sample_opts;

static int sample_parse(int argc, char **argv, sample_opts *o)
{
  static const struct option lo[] = {
    {"model", 1, 0, O_MODEL}, {"n", 1, 0, O_N}, {"label", 1, 0, O_LABEL},
    {"sweeps", 1, 0, O_SWEEPS}, {"steps", 1, 0, O_STEPS},
    {"cells", 1, 0, O_CELLS}, {"cell", 1, 0, O_CELL}, {"temp", 1, 0, O_TEMP},
    {"design-temp", 1, 0, O_DTEMP}, {"clock-hz", 1, 0, O_CLOCK},
    {"seed", 1, 0, O_SEED}, {"threads", 1, 0, O_THREADS},
    {"force", 0, 0, O_FORCE}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
  int c, rc = 0;
  uint32_t u;
  tk_err err;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
    switch (c) {
    case 'h': usage_sample(stdout); return -1;
    case 'o': o->out = optarg; break;
    case O_MODEL: o->model = optarg; break;
    case O_N: rc = parse_u32(optarg, "--n", 1, 1000000, &o->n); break;
    case O_LABEL:
      if (strcmp(optarg, "all") == 0)
        o->label = 10;
      else {
        rc = parse_u32(optarg, "--label", 0, 9, &u);
        o->label = (int)u;
      }
      break;
    case O_SWEEPS: rc = parse_u32(optarg, "--sweeps", 1, 1000000, &o->sweeps); break;
    case O_STEPS: rc = parse_u32(optarg, "--steps", 1, 64, &o->steps); break;
    case O_CELLS: o->cells = optarg; break;
    case O_CELL: o->cell = optarg; break;
    case O_TEMP:
      if (tk_parse_temp_K(optarg, "--temp", &o->temp_K, &err) != 0)
        return cmd_usage_error("dtm", "%s", err.msg);
      o->have_temp = 1;
      break;
    case O_DTEMP:
      if (tk_parse_temp_K(optarg, "--design-temp", &o->design_K, &err) != 0)
        return cmd_usage_error("dtm", "%s", err.msg);
      break;
    case O_CLOCK: rc = parse_pos(optarg, "--clock-hz", &o->clock_Hz); break;
    case O_SEED: rc = parse_seed(optarg, &o->seed); break;
    case O_THREADS: rc = parse_u32(optarg, "--threads", 0, 1024, &u); o->threads = (int)u; break;
    case O_FORCE: o->force = 1; break;
    default:
      return cmd_usage_error("dtm", "sample: unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
  }
  if (rc != 0)
    return rc;
  if (optind < argc)
    return cmd_usage_error("dtm", "sample: unexpected argument '%s'", argv[optind]);
  if (o->model == NULL || o->out == NULL || o->n == 0)
    return cmd_usage_error("dtm", "sample: --model, --n and -o are required");
  if (o->cells != NULL && (o->cell == NULL || !o->have_temp))
    return cmd_usage_error("dtm", "sample: --cells needs --cell NAME and --temp K");
  if (o->cells == NULL && (o->cell != NULL || o->have_temp))
    return cmd_usage_error("dtm", "sample: --cell/--temp need --cells LIB.h5");
  if (o->label == 10 && o->n < 10)
    return cmd_usage_error("dtm", "sample: --label all needs --n >= 10");
  return 0;
}

/* Class voted by the label spins (most lit one-hot position). */
static int vote_label(const tsu_dtm *m, const uint8_t *x)
{
  int cnt[TSU_DTM_N_CLASS] = {0}, best = 0;
  for (uint32_t r = 0; r < m->p.label_copies; r++)
    for (uint32_t c = 0; c < TSU_DTM_N_CLASS; c++)
      cnt[c] += x[TSU_DTM_N_PIX + TSU_DTM_N_CLASS * r + c];
  for (int c = 1; c < (int)TSU_DTM_N_CLASS; c++)
    if (cnt[c] > cnt[best])
      best = c;
  return best;
}

#define CHAIN_KEEP 16u

static int dtm_sample_kv(int argc, char **argv, cmd_kv *kv)
{
  sample_opts o = {0};
  o.label = -1;
  o.design_K = 300.0;
  o.clock_Hz = 1e7;
  o.seed = 1;
  int prc = sample_parse(argc, argv, &o);
  if (prc != 0)
    return prc < 0 ? CMD_EXIT_OK : prc;
  tk_err err = {0};
  struct stat sb;
  if (stat(o.out, &sb) == 0 && !o.force)
    return cmd_usage_error("dtm", "%s exists (--force to overwrite)", o.out);
  tsu_dtm *m = NULL;
  int rc = io_dtm_load(o.model, &m, NULL, &err);
  if (rc != TK_OK)
    return cmd_fail("dtm", &err);
  if (o.steps && o.steps != m->p.T) {
    fprintf(stderr, "tsukit dtm: %s has %u steps, --steps asks for %u\n",
            o.model, m->p.T, o.steps);
    tsu_dtm_free(m);
    return CMD_EXIT_USAGE;
  }
  uint32_t K = o.sweeps ? o.sweeps : m->p.sweeps, T = m->p.T, V = m->n_vis;
  tsu_celltab *tab = NULL;
  tsu_cells *cells = NULL;
  tsu_graph *grid = NULL;
  tsu_energy_params ep = tsu_energy_default_params();
  tsu_cellpoint at = {0};
  if (o.cells != NULL) {
    tsu_cell_params cp;
    rc = io_cells_read(o.cells, o.cell, &tab, &err);
    if (rc == TK_OK)
      rc = tsu_celltab_params(tab, o.temp_K, o.design_K, 1.0, o.clock_Hz, 2,
                              o.seed, &cp, &at, &err);
    if (rc == TK_OK)
      rc = tsu_cells_build(&cp, m->n_nodes, &cells, &err);
    if (rc == TK_OK && at.energy_J > 0)
      ep.e_rng_J = at.energy_J;
    ep.tau_s = cp.tau_s;
    ep.dt_s = cp.dt_s;
  }
  size_t n = o.n;
  uint8_t *vis = malloc(n * V), *chain = malloc((size_t)(T + 1) * CHAIN_KEEP * V);
  int32_t *clamped = malloc(n * sizeof *clamped), *lab = malloc(n * sizeof *lab);
  uint8_t *img = malloc(n * TSU_DTM_N_PIX);
  if (rc == TK_OK && (!vis || !chain || !clamped || !lab || !img))
    rc = TK_FAIL(&err, TK_ENOMEM, "sample buffers");
  double flips = 0, act_sum = 0, t0 = tk_clock_s();
  uint32_t n_chain = 0;
  /* --label all: sample i clamped to class i * 10 / n (equal shares, in
   * class order), all in one generation run. */
  tk_progress pr;
  tk_progress_init(&pr, "dtm sample", (double)n, 0);
  int8_t *per = NULL;
  if (rc == TK_OK && o.label == 10) {
    per = malloc(n);
    if (per == NULL)
      rc = TK_FAIL(&err, TK_ENOMEM, "labels");
    for (size_t i = 0; per != NULL && i < n; i++)
      per[i] = (int8_t)(i * 10 / n);
  }
  if (rc == TK_OK) {
    tsu_dtm_gen_opts go = {.n = (uint32_t)n, .label = o.label == 10 ? -1 : o.label,
                           .labels = per, .sweeps = K, .cells = cells,
                           .seed = o.seed, .n_threads = o.threads};
    uint8_t *ch = malloc((size_t)(T + 1) * n * V);
    double act = 0;
    if (ch == NULL)
      rc = TK_FAIL(&err, TK_ENOMEM, "chain buffer");
    else
      rc = tsu_dtm_generate(m, &go, vis, ch, &flips, &act, &err);
    if (rc == TK_OK) {
      act_sum = act * flips;
      /* Keep the chains of up to 16 samples, spread over the set (and so
       * over the classes with --label all). */
      n_chain = n < CHAIN_KEEP ? (uint32_t)n : CHAIN_KEEP;
      for (uint32_t c = 0; c < n_chain; c++) {
        size_t src = (size_t)c * n / n_chain;
        for (uint32_t s = 0; s <= T; s++)
          memcpy(chain + ((size_t)s * CHAIN_KEEP + c) * V,
                 ch + ((size_t)s * n + src) * V, V);
      }
      for (size_t c = 0; c < n; c++)
        clamped[c] = per ? per[c] : o.label;
      tk_progress_update(&pr, (double)n);
    }
    free(ch);
  }
  free(per);
  tk_progress_finish(&pr);
  double wall = tk_clock_s() - t0;
  tsu_energy_report en = {0};
  if (rc == TK_OK) {
    ep.activity = flips > 0 ? act_sum / flips : 0.5;
    rc = tsu_graph_grid(m->p.L, m->p.n_jumps, 0, &grid, &err);
    if (rc == TK_OK)
      rc = tsu_energy_compute(&ep, grid, 2, (double)K, &en, &err);
  }
  io_file *f = NULL;
  if (rc == TK_OK) {
    for (size_t i = 0; i < n; i++) {
      memcpy(img + i * TSU_DTM_N_PIX, vis + i * V, TSU_DTM_N_PIX);
      lab[i] = vote_label(m, vis + i * V);
    }
    io_prov prov = {cmd_command_line(), o.seed};
    rc = io_file_create(o.out, &prov, o.force ? IO_CREATE_OVERWRITE : IO_CREATE_KEEP,
                        &f, &err);
  }
  if (rc == TK_OK) {
    size_t d3[3] = {n, 28, 28}, d1[1] = {n}, d2[2] = {n, V};
    rc = io_write_u8(f, "/samples/images", 3, d3, img, "1", &err);
    if (rc == TK_OK) rc = io_write_i32(f, "/samples/labels", 1, d1, lab, "1", &err);
    if (rc == TK_OK) rc = io_write_i32(f, "/samples/label_clamped", 1, d1, clamped, "1", &err);
    if (rc == TK_OK) rc = io_write_u8(f, "/samples/visible", 2, d2, vis, "1", &err);
    if (rc == TK_OK && n_chain > 0) {
      /* [T+1][n_chain][28][28]: x^T (noise) first, x^0 last. */
      uint8_t *cimg = malloc((size_t)(T + 1) * n_chain * TSU_DTM_N_PIX);
      if (cimg == NULL)
        rc = TK_FAIL(&err, TK_ENOMEM, "chain images");
      for (uint32_t s = 0; rc == TK_OK && s <= T; s++)
        for (uint32_t c = 0; c < n_chain; c++)
          memcpy(cimg + ((size_t)s * n_chain + c) * TSU_DTM_N_PIX,
                 chain + ((size_t)s * CHAIN_KEEP + c) * V, TSU_DTM_N_PIX);
      size_t d4[4] = {T + 1, n_chain, 28, 28};
      if (rc == TK_OK)
        rc = io_write_u8(f, "/samples/chain", 4, d4, cimg, "1", &err);
      free(cimg);
    }
    const char *g = "/samples";
    if (rc == TK_OK) rc = io_attr_str(f, "/", "kind", "dtm-samples", &err);
    char graph[16];
    snprintf(graph, sizeof graph, "G%d", 4 * m->p.n_jumps);
    if (rc == TK_OK) rc = io_attr_str(f, g, "kind", "tsukit-dtm-samples", &err);
    if (rc == TK_OK) rc = io_attr_str(f, g, "model", o.model, &err);
    if (rc == TK_OK) rc = io_attr_str(f, g, "graph", graph, &err);
    if (rc == TK_OK) rc = io_attr_i64(f, g, "L", m->p.L, &err);
    if (rc == TK_OK) rc = io_attr_i64(f, g, "steps", T, &err);
    if (rc == TK_OK) rc = io_attr_i64(f, g, "sweeps", K, &err);
    if (rc == TK_OK) rc = io_attr_i64(f, g, "n_vis", V, &err);
    if (rc == TK_OK) rc = io_attr_i64(f, g, "label", o.label, &err);
    if (rc == TK_OK) rc = io_attr_str(f, g, "cells", o.cells ? o.cell : "ideal", &err);
    if (rc == TK_OK && o.cells) rc = io_attr_f64(f, g, "temp_K", o.temp_K, &err);
    struct { const char *name; double v; const char *unit; } ev[] = {
      {"/energy/rng_per_sweep_J", en.rng_J, "J"},
      {"/energy/bias_per_sweep_J", en.bias_J, "J"},
      {"/energy/clock_per_sweep_J", en.clock_J, "J"},
      {"/energy/wire_per_sweep_J", en.wire_J, "J"},
      {"/energy/per_step_J", en.per_sample_J, "J"},
      {"/energy/per_sample_J", en.per_sample_J * T, "J"},
      {"/energy/paper_per_sample_J", en.paper_per_sample_J * T, "J"},
      {"/energy/activity", ep.activity, "1"},
      {"/energy/e_rng_J", ep.e_rng_J, "J"},
    };
    for (size_t i = 0; rc == TK_OK && i < sizeof ev / sizeof *ev; i++) {
      size_t d[1] = {1};
      rc = io_write_f64(f, ev[i].name, 1, d, &ev[i].v, ev[i].unit, &err);
    }
    if (rc == TK_OK)
      rc = io_file_commit(f, &err);
    else
      io_file_abort(f);
  }
  int x = CMD_EXIT_OK;
  if (rc != TK_OK) {
    x = cmd_fail("dtm", &err);
  } else {
    cmd_kv_long(kv, "samples", (long)n);
    cmd_kv_long(kv, "steps", (long)T);
    cmd_kv_long(kv, "sweeps", (long)K);
    cmd_kv_double(kv, "wall_s", wall);
    cmd_kv_double(kv, "flips_per_ns", flips / (wall * 1e9));
    cmd_kv_double(kv, "activity", ep.activity);
    cmd_kv_double(kv, "energy_per_sample_J", en.per_sample_J * T);
    cmd_kv_double(kv, "paper_energy_per_sample_J", en.paper_per_sample_J * T);
    cmd_kv_double(kv, "energy_ratio", en.per_sample_J / en.paper_per_sample_J);
    cmd_kv_str(kv, "cells", o.cells ? o.cell : "ideal");
  }
  free(vis);
  free(chain);
  free(clamped);
  free(lab);
  free(img);
  tsu_graph_free(grid);
  tsu_cells_free(cells);
  tsu_celltab_free(tab);
  tsu_dtm_free(m);
  return x;
}

int cmd_dtm_kv(int argc, char **argv, cmd_kv *kv)
{
  if (argc < 2)
    return cmd_usage_error("dtm", "a subcommand is required (train, sample, eval)");
  if (strcmp(argv[1], "train") == 0)
    return dtm_train_kv(argc - 1, argv + 1, kv);
  if (strcmp(argv[1], "sample") == 0)
    return dtm_sample_kv(argc - 1, argv + 1, kv);
  if (strcmp(argv[1], "eval") == 0)
    return cmd_dtm_eval_kv(argc - 1, argv + 1, kv);
  return cmd_usage_error("dtm", "unknown subcommand '%s' (train, sample, eval)",
                         argv[1]);
}

int cmd_dtm(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return CMD_EXIT_USAGE;
  }
  const char *sub = argv[1];
  if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
    usage(stdout);
    return CMD_EXIT_OK;
  }
  if (strcmp(sub, "train") == 0)
    return cmd_print_kv(dtm_train_kv, argc - 1, argv + 1);
  if (strcmp(sub, "sample") == 0)
    return cmd_print_kv(dtm_sample_kv, argc - 1, argv + 1);
  if (strcmp(sub, "eval") == 0)
    return cmd_print_kv(cmd_dtm_eval_kv, argc - 1, argv + 1);
  return cmd_usage_error("dtm", "unknown subcommand '%s' (train, sample, eval)",
                         sub);
}
