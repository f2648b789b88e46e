/* The pod sandbox's process (the "pause" container): holds the pod's namespaces, reaps
   orphans, exits on SIGINT/SIGTERM. Built static into ticketing-local/pause (images.sh). */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
static void stop(int s) { (void)s; _exit(0); }
static void reap(int s) { (void)s; while (waitpid(-1, 0, WNOHANG) > 0) {} }
int main(void) {
  struct sigaction down = {0}, child = {0};
  down.sa_handler = stop;
  sigaction(SIGINT, &down, 0);
  sigaction(SIGTERM, &down, 0);
  child.sa_handler = reap;
  child.sa_flags = SA_NOCLDSTOP;
  sigaction(SIGCHLD, &child, 0);
  for (;;) pause();
}
