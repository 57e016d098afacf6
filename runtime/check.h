// PT_CHECK: native invariants abort loudly with the failing expression and location.
#pragma once

#include <cstdio>
#include <cstdlib>

#define PT_CHECK(cond)                                                                        \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      fprintf(stderr, "pactown-run: check failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      abort();                                                                                \
    }                                                                                         \
  } while (0)
