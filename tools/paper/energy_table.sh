#!/bin/bash
# The paper's energy table (tools/paper/run_table.sh has the details).
exec "$(dirname "$0")/run_table.sh" energy "$@"
