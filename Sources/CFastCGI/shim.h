// Only the FCGX_* API: fcgi_stdio.h redefines printf/stdin/stdout and must not be used.
#include <fcgiapp.h>
