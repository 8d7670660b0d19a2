// Property tests run with a fixed seed so CI is reproducible; set ATOMSCOPE_FC_SEED to explore.
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env['ATOMSCOPE_FC_SEED'] ?? 20261123) });
