import sys

from keldysh.cli import main

sys.exit(main())
