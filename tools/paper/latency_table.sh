#!/bin/bash
# The paper's latency table (tools/paper/run_table.sh has the details).
exec "$(dirname "$0")/run_table.sh" latency "$@"
