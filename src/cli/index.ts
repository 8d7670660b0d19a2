/**
 * The `atomscope` command line. Errors the user can act on print one line naming the file
 * and where, and exit with 2; a stack trace never reaches the user.
 */
import { ParseError } from '../core/io/errors.js';
import { parseArgs, UsageError } from './args.js';
import { checkCommand } from './commands/check.js';
import { convertCommand } from './commands/convert.js';
import { eamPropsCommand } from './commands/eam-props.js';
import { simulateCommand } from './commands/simulate.js';
import { energyCommand } from './commands/energy.js';
import { frameCommand } from './commands/frame.js';
import { infoCommand } from './commands/info.js';
import { serveCommand } from './commands/serve.js';
import { ANALYSIS_VALUED } from './commands/analysis-io.js';
import { msdCommand } from './commands/msd.js';
import { rdfCommand } from './commands/rdf.js';
import { rmsdCommand, rmsfCommand } from './commands/rmsd.js';
import { thermoCommand } from './commands/thermo.js';
import { vacfCommand } from './commands/vacf.js';
import { VERSION } from '../node/version.js';

const HELP = `atomscope ${VERSION}: a workbench for atomistic simulation

usage:
  atomscope info FILE [--json] [--format ID]        what a file holds
  atomscope frame FILE --index i [--json]           one frame's atoms (positions in Å)
  atomscope convert IN OUT [--frames a:b:c]         convert between formats (by extension)
  atomscope check FILE [--frames a:b:c] [--json]    read every frame, report problems and speed
  atomscope energy FILE --potential P [--elements Cu,..] [--json]
                                                    energy, per-atom energies, forces (EAM file or lj:...)
  atomscope eam-props POTENTIAL --element X [--json] a0, Ecoh, B, Cij, Evac, surface energies
  atomscope simulate PRESET [--set k=v ...] [--out DIR] [--json] [--progress]
                                                    run a gallery simulation: argon, muller-brown,
                                                    adatom (--list: presets and their settings)
  atomscope serve [--port N] [--host H] [FILE...]   the app in a browser, with a token
  atomscope rdf FILE... [--rmax Å] [--bins N] [--pair A-B] [--frames a:b:s] [--sk]
                                                    g(r) (and S(k)) averaged over frames
  atomscope msd FILE... [--fit-start ps] [--fit-end ps] [--select SEL] [--alpha2]
                                                    MSD (all origins) and diffusion coefficient
  atomscope vacf FILE... [--origins first|all] [--select SEL] [--spectrum]
                                                    velocity autocorrelation and its spectrum
  atomscope rmsd FILE [FILE2] [--ref i] [--fit SEL|none] [--measure SEL] [--matrix]
                                                    RMSD after superposition (never a reflection)
  atomscope rmsd --each FILE...                     each file against its own frame --ref
  atomscope rmsf FILE... [--ref i] [--fit SEL|none] [--measure SEL]
                                                    per-atom fluctuation after superposition
  atomscope thermo FILE... [--runs a:b:s] [--columns A,B]
                                                    energy, temperature, pressure... from LAMMPS
                                                    logs, GROMACS .xvg, extXYZ per-frame keys
      analyses take --json, --csv or --out fig.svg|fig.png|data.csv [--scale k] [--transparent]
      [--width px] [--height px]; several FILEs: a JSON array, CSV with a file column, one
      curve per file; --frames a:b:s, --top FILE (names/elements for XTC, DCD, dumps),
      --dt ps or --timestep ps where frames carry no times; SEL: all, element Cu,
      name CA, resname ALA, type 1, index 0:100 (half-open), resid 1:10, and/or/not, ( )
  atomscope --version
`;

const VALUED = [
  'index',
  'format',
  'frames',
  'port',
  'host',
  'token',
  'potential',
  'elements',
  'element',
  'lattice',
  ...ANALYSIS_VALUED,
];

type Command = (args: ReturnType<typeof parseArgs>) => number | Promise<number>;
const COMMANDS: Record<string, Command> = {
  info: infoCommand,
  frame: frameCommand,
  convert: convertCommand,
  check: checkCommand,
  serve: serveCommand,
  energy: energyCommand,
  'eam-props': eamPropsCommand,
  simulate: simulateCommand,
  rdf: rdfCommand,
  msd: msdCommand,
  vacf: vacfCommand,
  rmsd: rmsdCommand,
  rmsf: rmsfCommand,
  thermo: thermoCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return name ? 0 : 1;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`atomscope: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await command(parseArgs(rest, VALUED));
  } catch (e) {
    process.stderr.write(`atomscope ${name}: ${describe(e)}\n`);
    return 2;
  }
}

function describe(e: unknown): string {
  if (e instanceof ParseError || e instanceof UsageError) return e.message;
  if (e && typeof e === 'object' && 'code' in e && 'path' in e && typeof e.path === 'string') {
    // Node file-system errors: ENOENT, EACCES, EISDIR...
    const reasons: Record<string, string> = {
      ENOENT: 'no such file',
      EACCES: 'permission denied',
      EISDIR: 'is a directory',
    };
    return `${e.path}: ${reasons[String(e.code)] ?? String(e.code)}`;
  }
  if (e instanceof Error) return `${e.name === 'Error' ? '' : e.name + ': '}${e.message}`;
  return String(e);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`atomscope: ${describe(e)}\n`);
    process.exitCode = 2;
  },
);
