"""``python -m analysis``: the command line. Ctrl-C while it is still starting (importing)
ends with the same Chinese line as Ctrl-C during a run, never a traceback."""

import sys

try:
    from analysis.cli import main
except KeyboardInterrupt:
    from analysis.errors import EXIT_INTERRUPTED, INTERRUPTED_MESSAGE

    print(INTERRUPTED_MESSAGE, file=sys.stderr)
    raise SystemExit(EXIT_INTERRUPTED) from None

raise SystemExit(main())
