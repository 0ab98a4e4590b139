// Public face of package reading (SOL004 CSAR, 5GTANGO .tgo, SONATA .son).
// Filled in by the packages work; see DESIGN.md "On-board".
export {};
