import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Clock } from './clock';

/** One clock for the whole application, so a test can set the time every module reads. */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock): DynamicModule {
    return {
      module: ClockModule,
      providers: [{ provide: Clock, useValue: clock }],
      exports: [Clock],
    };
  }
}
