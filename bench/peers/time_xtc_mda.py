# From /work/shared/peers/time_xtc_mda.py; the one change: universe_s (time spent in
# mda.Universe(): topology parse plus the XTC offset scan) is printed as well. `seconds` is the
# same span as the original: Universe() plus iterating every frame.
import sys, time, warnings
warnings.filterwarnings("ignore")
import MDAnalysis as mda
t = time.perf_counter()
u = mda.Universe(sys.argv[1], sys.argv[2])
tu = time.perf_counter() - t
n = 0; s = 0.0
for ts in u.trajectory:
    s += float(ts.positions[0, 0]); n += 1
dt = time.perf_counter() - t
print(f"MDA_XTC frames={n} atoms={u.atoms.n_atoms} seconds={dt:.3f} frames_per_s={n/dt:.2f} atomframes_per_s={n*u.atoms.n_atoms/dt:.4g} universe_s={tu:.3f}")
