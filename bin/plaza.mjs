#!/usr/bin/env node
// Runs Plaza's TypeScript sources directly (tsx), so there is no build step between a clone and a start.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/main.ts');
const code = await runCli(process.argv.slice(2));
// -1: a long-running command (serve, worker, all, demo) keeps the process alive until a signal.
if (code >= 0) process.exit(code);
