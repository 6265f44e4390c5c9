// Issue 6 registration point: the feature registers its pages and chart tabs here.
export {};
