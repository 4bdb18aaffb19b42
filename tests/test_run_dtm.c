/* test_run_dtm.c -- the DTM runs as library calls (run/run_dtm.h) and the
 * sample-set format (io/io_dtm.h): a write/read round trip, sampling from
 * an untrained model (no dataset needed: determinism, the result against
 * the file, the paper's energy T K L^2 E_cell as a known answer, refusals
 * as TK_EINVAL), and, where the Fashion-MNIST package is installed, a
 * one-epoch training and an evaluation. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io_dtm.h"
#include "run/run_dtm.h"
#include "tests/tk_test.h"

static char dir[] = "/tmp/tsukit-test-run-dtm-XXXXXX";

static void round_trip(void)
{
  char path[256];
  snprintf(path, sizeof path, "%s/rt.h5", dir);
  enum { N = 3, V = 884, T = 2, NC = 2 };
  static uint8_t img[N * 784], vis[N * V], chain[(T + 1) * NC * 784];
  int32_t lab[N] = {4, 7, 1}, cl[N] = {-1, 7, 1};
  for (size_t i = 0; i < sizeof img; i++)
    img[i] = (uint8_t)((i * 2654435761u >> 7) & 1);
  for (size_t i = 0; i < sizeof vis; i++)
    vis[i] = (uint8_t)((i * 40503u >> 5) & 1);
  for (size_t i = 0; i < sizeof chain; i++)
    chain[i] = (uint8_t)((i * 2246822519u >> 9) & 1);
  io_dtm_samples s = {.n = N, .n_vis = V, .steps = T, .sweeps = 13, .L = 47,
                      .n_jumps = 3, .label = 5, .model = "m.h5",
                      .cells = "pbit", .temp_K = 301.25, .images = img,
                      .labels = lab, .label_clamped = cl, .visible = vis,
                      .n_chain = NC, .chain = chain};
  s.energy.per_sample_J = 2.385e-10;
  io_prov prov = {"test", 2385};
  tk_err e = {0};
  TKT_OK(io_dtm_samples_write(path, &s, &prov, 0, &e) == TK_OK,
         "write a sample set: %s", e.msg);
  TKT_OK(io_dtm_samples_write(path, &s, &prov, 0, &e) == TK_EEXIST,
         "no overwrite without the flag");
  tk_err_clear(&e);
  io_file *f = NULL;
  io_dtm_samples b;
  int ok = io_file_open_read(path, &f, &e) == TK_OK &&
           io_dtm_samples_read(f, &b, &e) == TK_OK;
  io_file_close(f);
  TKT_OK(ok, "read it back: %s", e.msg);
  if (!ok)
    return;
  TKT_OK(b.n == N && b.n_vis == V && b.steps == T && b.sweeps == 13 &&
         b.L == 47 && b.n_jumps == 3 && b.label == 5 &&
         strcmp(b.cells, "pbit") == 0 && b.temp_K == 301.25,
         "attributes survive");
  TKT_OK(memcmp(b.images, img, sizeof img) == 0, "images bit for bit");
  TKT_OK(memcmp(b.label_clamped, cl, sizeof cl) == 0, "clamped labels");
  TKT_OK(b.n_chain == NC && b.chain != NULL &&
         memcmp(b.chain, chain, sizeof chain) == 0, "chains bit for bit");
  io_dtm_samples_free(&b);
}

static int read_energy(const char *path, const char *name, double *v)
{
  io_file *f = NULL;
  double *a = NULL;
  int rank;
  size_t d[4];
  int rc = io_file_open_read(path, &f, NULL);
  if (rc == TK_OK)
    rc = io_read_f64(f, name, &a, &rank, d, NULL);
  io_file_close(f);
  if (rc == TK_OK)
    *v = a[0];
  free(a);
  return rc;
}

static void sample_untrained(void)
{
  char model[256], s1[256], s2[256];
  snprintf(model, sizeof model, "%s/m.h5", dir);
  snprintf(s1, sizeof s1, "%s/s1.h5", dir);
  snprintf(s2, sizeof s2, "%s/s2.h5", dir);
  tsu_dtm_params mp = tsu_dtm_default_params();
  mp.L = 44;
  mp.T = 2;
  mp.sweeps = 4;
  mp.sweeps_pos = 4;
  mp.record = 2;
  mp.seed = 2385;
  tsu_dtm *m = NULL;
  tk_err e = {0};
  int ok = tsu_dtm_alloc(&mp, &m, &e) == TK_OK &&
           io_dtm_save(model, m, NULL, "test", 0, &e) == TK_OK;
  tsu_dtm_free(m);
  TKT_OK(ok, "untrained model saved: %s", e.msg);
  if (!ok)
    return;
  run_dtm_sample_params p = run_dtm_sample_default_params();
  p.model = model;
  p.out = s1;
  p.n = 20;
  p.label = RUN_DTM_LABEL_ALL;
  p.seed = 7;
  p.threads = 1;
  run_dtm_sample_result r1, r2;
  TKT_OK(run_dtm_sample(&p, &r1, &e) == TK_OK, "sample 20: %s", e.msg);
  p.out = s2;
  p.threads = 2;
  TKT_OK(run_dtm_sample(&p, &r2, &e) == TK_OK, "again on 2 threads: %s", e.msg);
  TKT_OK(r1.samples == 20 && r1.steps == 2 && r1.sweeps == 4 &&
         strcmp(r1.cells, "ideal") == 0, "result: 20 samples, 2 steps, 4 sweeps, ideal");
  /* Paper: T K L^2 E_cell = 2 x 4 x 44^2 x 2 fJ. */
  TKT_REL(r1.energy.paper_per_sample_J, 2 * 4 * 44.0 * 44 * 2e-15, 1e-12,
          "paper energy per sample");
  double fe = NAN;
  TKT_OK(read_energy(s1, "/energy/per_sample_J", &fe) == TK_OK &&
         fe == r1.energy.per_sample_J, "the result's energy is the file's");
  TKT_OK(r1.energy.activity == r2.energy.activity &&
         r1.energy.per_sample_J == r2.energy.per_sample_J,
         "same seed, other thread count: same activity and energy");
  io_file *f1 = NULL, *f2 = NULL;
  io_dtm_samples a, b;
  ok = io_file_open_read(s1, &f1, &e) == TK_OK &&
       io_dtm_samples_read(f1, &a, &e) == TK_OK;
  ok = ok && io_file_open_read(s2, &f2, &e) == TK_OK &&
       io_dtm_samples_read(f2, &b, &e) == TK_OK;
  io_file_close(f1);
  io_file_close(f2);
  TKT_OK(ok, "both sample sets read");
  if (ok) {
    TKT_OK(memcmp(a.images, b.images, a.n * 784) == 0, "identical images");
    int shares = 1;
    for (size_t i = 0; i < a.n; i++)
      shares &= a.label_clamped[i] == (int32_t)(i * 10 / a.n);
    TKT_OK(shares && a.label == RUN_DTM_LABEL_ALL, "label all: class i*10/n");
    io_dtm_samples_free(&a);
    io_dtm_samples_free(&b);
  }
  p.out = s1;
  TKT_OK(run_dtm_sample(&p, &r2, &e) == TK_EINVAL, "existing output refused");
  p.force = 1;
  p.steps = 3;
  TKT_OK(run_dtm_sample(&p, &r2, &e) == TK_EINVAL && strstr(e.msg, "2 steps"),
         "a 2-step model asked for 3 steps: %s", e.msg);
}

static void train_eval(void)
{
  io_image_set probe = {0};
  if (io_fashion_mnist_load(NULL, "test", 1, &probe, NULL) != TK_OK) {
    printf("ok %d # SKIP Fashion-MNIST not installed\n", ++tkt_.n);
    return;
  }
  io_image_set_free(&probe);
  char model[256], s[256];
  snprintf(model, sizeof model, "%s/t.h5", dir);
  snprintf(s, sizeof s, "%s/ts.h5", dir);
  run_dtm_train_params p = run_dtm_train_default_params();
  p.out = model;
  p.p.L = 44;
  p.p.T = 2;
  p.p.epochs = 1;
  p.p.sweeps = 4;
  p.p.sweeps_pos = 4;
  p.p.record = 2;
  p.p.seed = 5;
  p.train_limit = 128;
  p.threads = 1;
  p.command = "test";
  run_dtm_train_result r;
  tk_err e = {0};
  TKT_OK(run_dtm_train(&p, &r, &e) == TK_OK, "train one epoch: %s", e.msg);
  TKT_OK(r.epochs == 1 && r.steps == 2 && r.ranks == 1 && r.rank == 0 &&
         r.images_per_s > 0 && isfinite(r.autocorr), "train result");
  TKT_OK(run_dtm_train(&p, &r, &e) == TK_EINVAL, "existing model refused");
  p.resume = 1;
  p.p.T = 3;
  p.set_steps = 1;
  TKT_OK(run_dtm_train(&p, &r, &e) == TK_EINVAL && strstr(e.msg, "2-step"),
         "resume with another step count refused: %s", e.msg);
  tk_err_clear(&e);
  run_dtm_sample_params sp = run_dtm_sample_default_params();
  sp.model = model;
  sp.out = s;
  sp.n = 20;
  sp.label = RUN_DTM_LABEL_ALL;
  sp.threads = 1;
  run_dtm_sample_result sr;
  TKT_OK(run_dtm_sample(&sp, &sr, &e) == TK_OK, "sample: %s", e.msg);
  run_dtm_eval_params ep = run_dtm_eval_default_params();
  ep.model = model;
  ep.samples = s;
  ep.clf_limit = 500;
  ep.test_limit = 100;
  ep.threads = 1;
  ep.quiet = 1;
  run_dtm_eval_result er;
  TKT_OK(run_dtm_eval(&ep, &er, &e) == TK_OK, "eval: %s", e.msg);
  TKT_OK(er.samples == 20 && er.test_images == 100, "eval counts");
  TKT_IN(er.v.label_accuracy, 0, 1, "label accuracy is a fraction");
  TKT_OK(er.v.fd_tsukit > 0 && er.v.fd_data >= 0 &&
         er.v.fd_data < er.v.fd_tsukit, "fd_data < fd_tsukit");
}

int main(void)
{
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  round_trip();
  sample_untrained();
  train_eval();
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0)
    printf("# could not remove %s\n", dir);
  return tkt_done();
}
