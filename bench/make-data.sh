#!/bin/bash
# Benchmark inputs under bench/data/ (git-ignored), each made only when missing:
#   xtc/big.xtc, xtc/big_frame0.pdb, xtc/big_frame0.gro : GROMACS SPC/E water, 10 nm box (~100k atoms),
#       200 frames (steps 0..199, nstxout-compressed 1), single-thread gmx, as in
#       /work/shared/peers/make_big_xtc.sh (with bench/em.mdp and bench/md.mdp in place of the
#       peers' ../04_gromacs/*.mdp, which are not shipped).
#   big_1000x1000.extxyz : 1000 frames x 1000 Cu atoms with energy and forces, written by ASE
#       (/work/shared/peers/make_big_extxyz.py, copied here as bench/peers/make_big_extxyz.py).
# Usage: bench/make-data.sh [DATA_DIR]   (GMX=..., PYTHON=... override the tools)
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
DATA=${1:-$BENCH/data}
GMX=${GMX:-gmx}
PY=${PYTHON:-/usr/bin/python3}
mkdir -p "$DATA"
export GMX_MAXBACKUP=-1 OMP_NUM_THREADS=1
say() { printf '[make-data %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

W=$DATA/xtc
if [ ! -s "$W/big.xtc" ] || [ ! -s "$W/big_frame0.pdb" ] || [ ! -s "$W/big_frame0.gro" ]; then
  command -v "$GMX" >/dev/null || { echo "make-data: $GMX (GROMACS) not found" >&2; exit 1; }
  rm -rf "$W.tmp"; mkdir -p "$W.tmp"; cd "$W.tmp"
  t0=$SECONDS
  say "xtc: solvating a 10 nm box with SPC/E water"
  "$GMX" solvate -cs spc216.gro -box 10 10 10 -o big_water.gro > solvate.log 2>&1
  N=$(grep -c OW big_water.gro)
  printf '#include "oplsaa.ff/forcefield.itp"\n#include "oplsaa.ff/spce.itp"\n[ system ]\nbig water\n[ molecules ]\nSOL %d\n' "$N" > topol.top
  say "xtc: $N waters ($((3 * N)) atoms); energy minimisation (100 steepest-descent steps, 1 thread)"
  "$GMX" grompp -f "$BENCH/em.mdp" -c big_water.gro -p topol.top -o em.tpr -maxwarn 1 > grompp_em.log 2>&1
  "$GMX" mdrun -nt 1 -deffnm em > mdrun_em.log 2>&1
  say "xtc: MD, 200 frames written every step (1 thread)"
  "$GMX" grompp -f "$BENCH/md.mdp" -c em.gro -p topol.top -o big.tpr -maxwarn 1 > grompp_md.log 2>&1
  "$GMX" mdrun -nt 1 -deffnm big > mdrun_md.log 2>&1
  say "xtc: frame 0 as PDB and GRO (topology for MDAnalysis / mdtraj)"
  printf "System\n" | "$GMX" trjconv -s big.tpr -f big.xtc -o big_frame0.pdb -dump 0 > trjconv.log 2>&1
  printf "System\n" | "$GMX" trjconv -s big.tpr -f big.xtc -o big_frame0.gro -dump 0 > trjconv_gro.log 2>&1
  "$GMX" check -f big.xtc 2>&1 | grep -A3 "^Item" > check.txt || true
  rm -f big.trr em.trr big.cpt step*.pdb ./#*#
  cd "$DATA"; rm -rf "$W"; mv "$W.tmp" "$W"
  say "xtc: done in $((SECONDS - t0)) s: $(du -h "$W/big.xtc" | cut -f1) $W/big.xtc"
else
  say "xtc: present ($W/big.xtc)"
fi

X=$DATA/big_1000x1000.extxyz
if [ ! -s "$X" ]; then
  t0=$SECONDS
  say "extxyz: writing 1000 frames x 1000 atoms with ASE"
  "$PY" "$BENCH/peers/make_big_extxyz.py" "$X.tmp"
  mv "$X.tmp" "$X"
  say "extxyz: done in $((SECONDS - t0)) s: $(du -h "$X" | cut -f1) $X"
else
  say "extxyz: present ($X)"
fi
