"""Relations between countries from events: dyads, alignment, blocs and change points."""
