#!/usr/bin/python3
"""Makes the bundled example resources/examples/cu100-pt-adatom.extxyz: a Pt adatom on a
Cu(100) slab, EMT molecular dynamics at 800 K with ASE (a dev-time tool, not a runtime
dependency). Run: /usr/bin/python3 scripts/make-example.py"""
import numpy as np
from ase.build import fcc100, add_adsorbate
from ase.calculators.emt import EMT
from ase.constraints import FixAtoms
from ase.io import write
from ase.md.langevin import Langevin
from ase.md.velocitydistribution import MaxwellBoltzmannDistribution
from ase import units

slab = fcc100("Cu", size=(5, 5, 4), vacuum=8.0)
add_adsorbate(slab, "Pt", 1.7, "hollow")
slab.set_constraint(FixAtoms(indices=[a.index for a in slab if a.tag == 4]))
slab.calc = EMT()
MaxwellBoltzmannDistribution(slab, temperature_K=800, rng=np.random.RandomState(7))
dyn = Langevin(slab, 5 * units.fs, temperature_K=800, friction=0.02, rng=np.random.RandomState(8))
frames = []
def grab():
    a = slab.copy()
    a.info["energy"] = slab.get_potential_energy()
    a.info["time"] = dyn.get_time() / (1000 * units.fs)  # ps
    frames.append(a)
dyn.attach(grab, interval=40)
dyn.run(1200)
write("resources/examples/cu100-pt-adatom.extxyz", frames, format="extxyz", columns=["symbols", "positions", "tags"])
print(len(frames), "frames,", len(slab), "atoms")
