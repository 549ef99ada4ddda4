# Sourced by the cluster scripts next to it: which sweep they run. Every value may be set in the
# environment; the defaults are the README's 27-point BISMO edge array sweep, cycle-accurate.
#   HAQSIM_BIN            the haqsim executable (build/bin/haqsim, relative to the working dir)
#   HAQSIM_SWEEP_GRID     grid file (arch-configs/grids/bismo-edge-array.yaml)
#   HAQSIM_SWEEP_MODEL    zoo network (mobilenet_v1)
#   HAQSIM_SWEEP_BITS     uniform bits (8)
#   HAQSIM_SWEEP_BACKEND  analytic | systemc | rtl (systemc)
#   HAQSIM_SWEEP_OUT      output directory; shard I goes to OUT/shard-I, the merge to OUT (runs/sweep)
haqsim_bin=${HAQSIM_BIN:-build/bin/haqsim}
sweep_grid=${HAQSIM_SWEEP_GRID:-arch-configs/grids/bismo-edge-array.yaml}
sweep_model=${HAQSIM_SWEEP_MODEL:-mobilenet_v1}
sweep_bits=${HAQSIM_SWEEP_BITS:-8}
sweep_backend=${HAQSIM_SWEEP_BACKEND:-systemc}
sweep_out=${HAQSIM_SWEEP_OUT:-runs/sweep}
# The sweep's options but --shard, --jobs and --out (the same for every shard and the unsharded run).
sweep_options=(--quiet --grid "$sweep_grid" --model "$sweep_model" --bits "$sweep_bits"
  --backend "$sweep_backend")
