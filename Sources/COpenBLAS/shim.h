// OpenBLAS's CBLAS interface (Debian: libopenblas-dev puts cblas.h under openblas-pthread/).
#include <cblas.h>
