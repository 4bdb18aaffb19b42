/* phys_sde_vec_impl.h -- the lane arithmetic of the native engine's
 * batches (included by physics/phys_sde_lanes_impl.h, SDE_W lanes): the
 * lane types, loads, stores, selects and masks, and the dense LU with
 * partial pivoting and its solve, every lane as one lane alone.
 *
 * vd holds one double per lane (a plain double for one lane: GCC keeps
 * one-element vectors in memory; a GCC vector of W otherwise), vm one
 * all-ones / zero mask per lane; arrays keep the lane innermost, element
 * [x][l] at x * W + l.  Element-wise vector arithmetic rounds as the
 * scalar operation does, and selects replace branches (both sides are
 * computed), so a lane's bits do not depend on the lane count; what must
 * differ per lane (pivot rows, row swaps) is done lane by lane.
 */
#ifndef PHYS_SDE_VEC_IMPL_H
#define PHYS_SDE_VEC_IMPL_H

#if SDE_W == 1
/* one lane: plain scalars (GCC keeps one-element vectors in memory) */
typedef double vd;
typedef long long vm;
#define LANE(x, l) (x)
#define VGT(a, b) ((a) > (b) ? -1LL : 0LL)
#define VGE(a, b) ((a) >= (b) ? -1LL : 0LL)
#define VNE(a, b) ((a) != (b) ? -1LL : 0LL)
#define VZERO 0LL
static inline vd LD(const double *p) { return *p; }
static inline void ST(double *p, vd v) { *p = v; }
static inline vd BC(double x) { return x; }
static inline vd SEL(vm m, vd a, vd b) { return m ? a : b; }
static inline vd VABS(vd x) { return fabs(x); }
#else
typedef double vd __attribute__((vector_size(8 * W)));
typedef long long vm __attribute__((vector_size(8 * W)));
#define LANE(x, l) ((x)[l])
#define VGT(a, b) ((a) > (b))
#define VGE(a, b) ((a) >= (b))
#define VNE(a, b) ((a) != (b))
#define VZERO ((vm){0})

static inline vd LD(const double *p)
{
  vd v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline void ST(double *p, vd v) { memcpy(p, &v, sizeof v); }

static inline vd BC(double x) { return (vd){0} + x; }

static inline vd SEL(vm m, vd a, vd b)
{
  return (vd)((m & (vm)a) | (~m & (vm)b));
}

static inline vd VABS(vd x)
{
  return (vd)((vm)x & ((vm){0} + 0x7fffffffffffffffLL));
}
#endif

/* lanes l with bit l of bits set: all ones */
static inline vm MASK(unsigned bits)
{
  vm m;
  for (int l = 0; l < W; l++)
    LANE(m, l) = (bits >> l) & 1u ? -1LL : 0;
  return m;
}

static inline vd VSQRT(vd x)
{
  vd r;
  for (int l = 0; l < W; l++)
    LANE(r, l) = sqrt(LANE(x, l));
  return r;
}

/* LU with partial pivoting of every lane's n x n matrix a ([n*n][W],
 * row-major) in place, as one lane alone would do it: the first largest
 * pivot, rows swapped (piv [n][W]: the pivot rows), rows whose factor is
 * 0 left alone.  Returns the lanes found singular (a lane's
 * factorisation goes on after that in garbage, unused). */
static unsigned lane_lu(double *a, int *piv, size_t n)
{
  unsigned singular = 0;
  for (size_t k = 0; k < n; k++) {
    vd best = VABS(LD(&a[(k * n + k) * W]));
    vm pr = VZERO + (long long)k;
    for (size_t i = k + 1; i < n; i++) {
      vd x = VABS(LD(&a[(i * n + k) * W]));
      vm gt = VGT(x, best);
      best = SEL(gt, x, best);
      pr = (gt & (VZERO + (long long)i)) | (~gt & pr);
    }
    vm ok = VGT(best, BC(0.0));
    for (int l = 0; l < W; l++) {
      if (!LANE(ok, l))
        singular |= 1u << l;
      size_t r = (size_t)LANE(pr, l);
      piv[k * W + (size_t)l] = (int)r;
      if (r != k)
        for (size_t j = 0; j < n; j++) {
          double tmp = a[(k * n + j) * W + (size_t)l];
          a[(k * n + j) * W + (size_t)l] = a[(r * n + j) * W + (size_t)l];
          a[(r * n + j) * W + (size_t)l] = tmp;
        }
    }
    vd inv = BC(1.0) / LD(&a[(k * n + k) * W]);
    for (size_t i = k + 1; i < n; i++) {
      vd f = LD(&a[(i * n + k) * W]) * inv;
      ST(&a[(i * n + k) * W], f);
      vm nz = VNE(f, BC(0.0));
      int any = 0;
      for (int l = 0; l < W; l++)
        any |= LANE(nz, l) != 0;
      if (!any)
        continue;
      for (size_t j = k + 1; j < n; j++) {
        double *x = &a[(i * n + j) * W];
        vd xv = LD(x);
        ST(x, SEL(nz, xv - f * LD(&a[(k * n + j) * W]), xv));
      }
    }
  }
  return singular;
}

/* Solve every lane's factorised system for b ([n][W]) in place. */
static void lane_lu_solve(const double *a, const int *piv, size_t n,
                          double *b)
{
  for (size_t k = 0; k < n; k++) {
    for (int l = 0; l < W; l++) {
      size_t pr = (size_t)piv[k * W + (size_t)l];
      if (pr != k) {
        double tmp = b[k * W + (size_t)l];
        b[k * W + (size_t)l] = b[pr * W + (size_t)l];
        b[pr * W + (size_t)l] = tmp;
      }
    }
    vd bk = LD(&b[k * W]);
    for (size_t i = k + 1; i < n; i++)
      ST(&b[i * W], LD(&b[i * W]) - LD(&a[(i * n + k) * W]) * bk);
  }
  for (size_t k = n; k-- > 0;) {
    vd s = LD(&b[k * W]);
    for (size_t j = k + 1; j < n; j++)
      s -= LD(&a[(k * n + j) * W]) * LD(&b[j * W]);
    ST(&b[k * W], s / LD(&a[(k * n + k) * W]));
  }
}

#endif
