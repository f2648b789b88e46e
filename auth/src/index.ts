import './tracing';
import { runService } from '@ticketing/common';
import { authService } from './service';

// void: runService reports a failed start itself and exits with status 1.
void runService(authService);
