"""Prometheus metrics: what an operator watches without a SQL shell (README, "Operating Parcelcast").

Two kinds of numbers, measured in two ways:

- Events, measured where they happen, as histograms (`instruments.py`): provider call latency per
  provider (messaging.dispatch.sending), webhook lag (messaging.webhook_views), request latency per
  route (`middleware.py`). They are observed in whichever process does the work: a gunicorn worker,
  a Celery prefork child.
- State, read when Prometheus scrapes (`settings.METRICS_COLLECTORS`): messages per channel and
  state (messaging/metrics.py), Celery queue depths and beat tasks' last success (config/metrics.py).
  Nothing keeps them up to date between scrapes, so no process can hold a stale copy.

Many processes, one endpoint: prometheus_client's multiprocess mode. With PROMETHEUS_MULTIPROC_DIR
set (in the environment before the process starts: prometheus_client picks its value store at
import), every process writes its histograms to memory-mapped files in that directory, and
`/metrics` (`exposition.py`), served by any gunicorn worker, adds up the files of every process:
gunicorn's workers (its own directory) and Celery's prefork children (their directory, listed in
METRICS_MULTIPROC_DIRS). Each role has a directory of its own because each empties it when it
starts (gunicorn.conf.py's on_starting, Celery's worker_init): files of a previous run would
otherwise be added up for ever, and one role's restart must not delete the files the other's
living processes still write to. An ended process is marked (`mark_process_dead`: gunicorn's
child_exit, Celery's worker_process_shutdown); its counts stay in the sums, as counters should.

Chosen over a Pushgateway (it keeps a dead process's last push for ever, is one more service to
run, and a push per provider call would cost more than the call's bookkeeping) and over a port per
process (unauthenticated, and Prometheus would have to discover every child). The limit: the
directories must be on the web's host. Workers on other hosts need a scrape of their own (not
provided here). Without the variable (development, tests) each process exposes its own registry.
"""
