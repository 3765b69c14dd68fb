// Types of the stand-in weather service, for the tests that start it.
export function startWeatherService(port?: number, host?: string): Promise<{ url: string; close(): Promise<void> }>;
