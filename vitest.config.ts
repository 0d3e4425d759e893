import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'fixtures/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // network-namespace tests share the kernel's namespace list: keep files serial
    fileParallelism: false,
  },
});
