/** This process's peak RSS in bytes (VmHWM, since exec): see peak-rss.mjs. */
export function peakRssBytes(): number;
