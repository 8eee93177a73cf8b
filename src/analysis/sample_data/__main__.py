from analysis.sample_data.cli import main

raise SystemExit(main())
