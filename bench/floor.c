/*
 * The floor of detection in C (bench/floor.ts's floorTs, line for line): built by the detection
 * benchmark with cc -O2, run on the inputs floor.ts writes (frames pre-decoded into columns,
 * the inventory's table). Usage: floor INPUT SMALL; prints the loop's time over the first SMALL
 * frames and over all of them (fresh state each), and the checksum (the same as floorTs's).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#define OP_REPLY 2
#define BUCKET_MICROS 10e6
#define TIMEOUT_MICROS 3e6
#define SENDER_BITS 18
#define PAIR_BITS 19
#define RING 200000

static uint32_t n, ibits;
static double *fts, *fsmac, *imac;
static uint8_t *fop, *iused, *irole;
static int32_t *fsip, *ftip, *ikeys;

static uint32_t hash1(int32_t k, int shift) { return ((uint32_t)k * 0x9e3779b1u) >> shift; }
static uint32_t hash2(int32_t a, int32_t b, int shift) { return (((uint32_t)a * 0x9e3779b1u) ^ ((uint32_t)b * 0x85ebca6bu)) >> shift; }

static int32_t *pA, *pB;
static double *pTs;
static uint8_t *pUsed;
static const uint32_t pMask = (1u << PAIR_BITS) - 1;

static int64_t pair_find(int32_t a, int32_t b) {
  uint32_t i = hash2(a, b, 32 - PAIR_BITS);
  while (pUsed[i]) {
    if (pA[i] == a && pB[i] == b) return i;
    i = (i + 1) & pMask;
  }
  return -1 - (int64_t)i;
}

static void pair_delete(uint32_t i) {
  uint32_t j = i;
  for (;;) {
    j = (j + 1) & pMask;
    if (!pUsed[j]) break;
    uint32_t h = hash2(pA[j], pB[j], 32 - PAIR_BITS);
    if (i <= j ? (h > i && h <= j) : (h > i || h <= j)) continue;
    pA[i] = pA[j]; pB[i] = pB[j]; pTs[i] = pTs[j];
    i = j;
  }
  pUsed[i] = 0;
}

static uint64_t run(uint32_t count) {
  const uint32_t sSize = 1u << SENDER_BITS, sMask = sSize - 1;
  int32_t *sKeys = calloc(sSize, 4); uint8_t *sUsed = calloc(sSize, 1);
  double *sLast = calloc(sSize, 8), *sMac = calloc(sSize, 8);
  int32_t *sBucket = calloc(sSize, 4); uint32_t *sCount = calloc(sSize, 4);
  const uint32_t pSize = 1u << PAIR_BITS;
  pA = calloc(pSize, 4); pB = calloc(pSize, 4); pTs = calloc(pSize, 8); pUsed = calloc(pSize, 1);
  int32_t *rA = calloc(RING, 4), *rB = calloc(RING, 4); double *rTs = calloc(RING, 8);
  uint32_t head = 0, len = 0;
  const uint32_t iMask = (1u << ibits) - 1;
  uint64_t sum = 0;
  for (uint32_t k = 0; k < count; k++) {
    double ts = fts[k];
    int32_t sip = fsip[k], tip = ftip[k];
    while (len > 0 && rTs[head] + TIMEOUT_MICROS <= ts) {
      int64_t at = pair_find(rA[head], rB[head]);
      if (at >= 0 && pTs[at] == rTs[head]) { pair_delete((uint32_t)at); sum++; }
      head = head + 1 == RING ? 0 : head + 1;
      len--;
    }
    if (fop[k] == OP_REPLY) {
      int64_t at = pair_find(tip, sip);
      if (at >= 0) pair_delete((uint32_t)at);
    }
    uint32_t s = hash1(sip, 32 - SENDER_BITS);
    while (sUsed[s] && sKeys[s] != sip) s = (s + 1) & sMask;
    if (!sUsed[s]) { sUsed[s] = 1; sKeys[s] = sip; sMac[s] = fsmac[k]; sBucket[s] = -1; }
    sLast[s] = ts;
    if (sMac[s] != fsmac[k]) { sMac[s] = fsmac[k]; sum++; }
    uint32_t r = hash1(sip, 32 - ibits);
    while (iused[r] && ikeys[r] != sip) r = (r + 1) & iMask;
    if (iused[r] && imac[r] != fsmac[k]) sum++;
    int32_t b = (int32_t)floor(ts / BUCKET_MICROS);
    if (sBucket[s] != b) { sBucket[s] = b; sCount[s] = 0; }
    sCount[s]++;
    if (fop[k] != OP_REPLY) {
      int64_t at = pair_find(sip, tip);
      uint32_t i = at >= 0 ? (uint32_t)at : (uint32_t)(-1 - at);
      if (at < 0) { pUsed[i] = 1; pA[i] = sip; pB[i] = tip; }
      pTs[i] = ts;
      if (len == RING) { head = head + 1 == RING ? 0 : head + 1; len--; }
      uint32_t w = head + len < RING ? head + len : head + len - RING;
      rA[w] = sip; rB[w] = tip; rTs[w] = ts;
      len++;
    }
  }
  free(sKeys); free(sUsed); free(sLast); free(sMac); free(sBucket); free(sCount);
  free(pA); free(pB); free(pTs); free(pUsed); free(rA); free(rB); free(rTs);
  return sum + len;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: floor INPUT SMALL\n"); return 2; }
  FILE *fp = fopen(argv[1], "rb");
  if (!fp) { perror(argv[1]); return 2; }
  uint32_t hdr[3];
  if (fread(hdr, 4, 3, fp) != 3 || hdr[0] != 0x666c6f72) { fprintf(stderr, "%s: not a floor input\n", argv[1]); return 2; }
  n = hdr[1]; ibits = hdr[2];
  size_t isize = (size_t)1 << ibits;
  fts = malloc(n * 8); fop = malloc(n); fsip = malloc(n * 4); ftip = malloc(n * 4); fsmac = malloc(n * 8);
  ikeys = malloc(isize * 4); iused = malloc(isize); irole = malloc(isize); imac = malloc(isize * 8);
  int ok = fread(fts, 8, n, fp) == n && fread(fop, 1, n, fp) == n && fread(fsip, 4, n, fp) == n && fread(ftip, 4, n, fp) == n
    && fread(fsmac, 8, n, fp) == n && fread(ikeys, 4, isize, fp) == isize && fread(iused, 1, isize, fp) == isize
    && fread(irole, 1, isize, fp) == isize && fread(imac, 8, isize, fp) == isize;
  fclose(fp);
  if (!ok) { fprintf(stderr, "%s: cut short\n", argv[1]); return 2; }
  uint32_t small = (uint32_t)atol(argv[2]);
  if (small > n) small = n;
  double t0 = now_s();
  run(small);
  double t1 = now_s();
  uint64_t sum = run(n);
  double t2 = now_s();
  printf("small %.6f all %.6f sum %llu\n", t1 - t0, t2 - t1, (unsigned long long)sum);
  return 0;
}
