import { MemoryAlertStore } from '../../src/adapters/memory/memory-alerts.ts';
import { describeAlertStoreConformance } from '../support/conformance/alert-store.ts';

describeAlertStoreConformance('memory', async () => new MemoryAlertStore());
