from vaultlint.cli import main

raise SystemExit(main())
