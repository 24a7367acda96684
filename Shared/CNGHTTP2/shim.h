#ifndef FANHEAT_CNGHTTP2_SHIM_H
#define FANHEAT_CNGHTTP2_SHIM_H
#include <nghttp2/nghttp2.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>

/// errno, readable from Swift without the Glibc overlay's thread-local accessor.
static inline int fanheat_errno(void) { return errno; }
#endif
