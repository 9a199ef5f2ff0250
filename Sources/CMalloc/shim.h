// glibc's mallopt(3) and its M_* parameters (not in Swift's Glibc module). Nothing to link.
#include <malloc.h>
