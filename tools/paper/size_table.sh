#!/bin/bash
# The paper's model-size table: MobileNet-V2 and ResNet-50 with k-means weights at Deep
# Compression's 2/3/4-bit size, and linear fixed precision beside them (tools/paper/run_table.sh
# has the details).
exec "$(dirname "$0")/run_table.sh" size "$@"
