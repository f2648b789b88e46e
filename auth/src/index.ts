import './tracing';
import { runService } from '@ticketing/common';
import { authService } from './service';

void runService(authService);
