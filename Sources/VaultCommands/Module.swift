// VaultCommands: see ARCHITECTURE.md
