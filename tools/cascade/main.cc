// Placeholder until the CLI lands in this same change series.
int main() { return 1; }
