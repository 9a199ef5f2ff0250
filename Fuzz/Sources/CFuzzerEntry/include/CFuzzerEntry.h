#ifndef UPTIME_BRIDGE_CFUZZERENTRY_H
#define UPTIME_BRIDGE_CFUZZERENTRY_H
// Nothing for Swift to import: this target only provides the executable's entry point (see
// entry.c). The module exists so SwiftPM links entry.c into UptimeBridgeFuzz.
#endif
