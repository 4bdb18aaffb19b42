/* cmd_dtm.c -- `tsukit dtm train|sample|eval`: the Denoising
 * Thermodynamic Model on binarised Fashion-MNIST (tsu/tsu_dtm.h).
 *
 * train: checkpoints the whole model (weights, Adam state, history) after
 *   every epoch by writing FILE.partial and renaming it over FILE, so an
 *   interrupted run loses at most the epoch in progress and --resume goes
 *   on from the last checkpoint.
 * sample: cmd_dtm_sample.c; eval: cmd_dtm_eval.c.
 */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cmd.h"
#include "cli/dtm_cli.h"
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

/* ---- option parsers shared by the subcommands (cli/dtm_cli.h) ---------- */

int cmd_dtm__u32(const char *s, const char *opt, uint32_t lo, uint32_t hi,
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

int cmd_dtm__pos(const char *s, const char *opt, double *v)
{
  char *end;
  double x = strtod(s, &end);
  if (*s == '\0' || *end != '\0' || !(x > 0) || !isfinite(x))
    return cmd_usage_error("dtm", "%s: '%s' is not a positive number", opt, s);
  *v = x;
  return 0;
}

int cmd_dtm__seed(const char *s, uint64_t *v)
{
  char *end;
  unsigned long long x = strtoull(s, &end, 0);
  if (*s == '\0' || *end != '\0' || *s == '-')
    return cmd_usage_error("dtm", "--seed: '%s' is not an unsigned integer", s);
  *v = x;
  return 0;
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
    case O_STOP: rc = cmd_dtm__u32(optarg, "--stop-after", 1, 100000, &o->stop_after); break;
    case 'o': o->out = optarg; break;
    case O_DATA: o->data = optarg; break;
    case O_STEPS: rc = cmd_dtm__u32(optarg, "--steps", 1, 64, &o->p.T); o->set_steps = 1; break;
    case O_GRAPH: {
      int nj = tsu_grid_name_jumps(optarg);
      if (nj < 1)
        return cmd_usage_error("dtm", "--graph: '%s' is not G4, G8, ..., G24", optarg);
      o->p.n_jumps = nj;
      o->set_graph = 1;
      break;
    }
    case O_L: rc = cmd_dtm__u32(optarg, "--L", 43, 1024, &o->p.L); o->set_L = 1; break;
    case O_EPOCHS: rc = cmd_dtm__u32(optarg, "--epochs", 1, 100000, &o->p.epochs); break;
    case O_BATCH: rc = cmd_dtm__u32(optarg, "--batch", 64, 65536, &o->p.batch); break;
    case O_SWEEPS: rc = cmd_dtm__u32(optarg, "--sweeps", 1, 1000000, &o->p.sweeps); break;
    case O_SPOS: rc = cmd_dtm__u32(optarg, "--sweeps-pos", 1, 1000000, &o->p.sweeps_pos); break;
    case O_REC: rc = cmd_dtm__u32(optarg, "--record", 1, 1000000, &o->p.record); break;
    case O_ACP: o->p.acp = 1; break;
    case O_NOACP: o->p.acp = 0; break;
    case O_ACPT: rc = cmd_dtm__pos(optarg, "--acp-target", &o->p.acp_target); break;
    case O_ACPE: rc = cmd_dtm__u32(optarg, "--acp-every", 1, 100000000, &o->p.acp_every); break;
    case O_LR: rc = cmd_dtm__pos(optarg, "--lr", &o->p.lr); break;
    case O_FRESH: o->p.persistent = 0; break;
    case O_LIMIT: rc = cmd_dtm__u32(optarg, "--train-limit", 64, 60000, &u); o->limit = u; break;
    case O_SEED: rc = cmd_dtm__seed(optarg, &o->p.seed); break;
    case O_THREADS: rc = cmd_dtm__u32(optarg, "--threads", 0, 1024, &u); o->threads = (int)u; break;
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


int cmd_dtm_kv(int argc, char **argv, cmd_kv *kv)
{
  if (argc < 2)
    return cmd_usage_error("dtm", "a subcommand is required (train, sample, eval)");
  if (strcmp(argv[1], "train") == 0)
    return dtm_train_kv(argc - 1, argv + 1, kv);
  if (strcmp(argv[1], "sample") == 0)
    return cmd_dtm_sample_kv(argc - 1, argv + 1, kv);
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
  return cmd_print_kv(cmd_dtm_kv, argc, argv);
}
