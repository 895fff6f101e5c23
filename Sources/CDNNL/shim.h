// oneDNN's C API (Debian: libdnnl-dev, oneDNN 2.6, built on OpenMP) and the two libgomp calls the
// engine uses to size oneDNN's thread team. omp.h is GCC's and not on clang's include path, so
// the two are declared here; libdnnl links libgomp itself.
#include <oneapi/dnnl/dnnl.h>

void omp_set_num_threads(int count);
int omp_get_max_threads(void);
