import './tracing';
import { runService } from '@ticketing/common';
import { liveService } from './service';

// void: runService reports a failed start itself and exits with status 1.
void runService(liveService);
