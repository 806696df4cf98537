/** `mappings` reduced to one segment a generated line, at column 0, without names. */
export function lineMappings(mappings: string): string;
