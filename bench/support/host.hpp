// What the socket benchmarks read from the machine they run on: a thread's CPU time, the load
// average that tells how shared the machine was, and enough file descriptors for thousands of calls.
// Header-only; for benchmark executables.
#pragma once

#include <sys/resource.h>
#include <time.h>

#include <cstdio>

namespace rtcgate::bench {

// CPU seconds the calling thread has used.
inline double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The 1-minute load average (-1 if unknown): on a shared machine, loss and CPU figures mean little
// without it.
inline double load_average() {
  double load = -1;
  if (std::FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &load) != 1) load = -1;
    std::fclose(f);
  }
  return load;
}

// Raises the soft limit on open descriptors to the hard one; returns the new soft limit.
inline rlim_t raise_file_limit() {
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  setrlimit(RLIMIT_NOFILE, &files);
  return files.rlim_cur;
}

}  // namespace rtcgate::bench
