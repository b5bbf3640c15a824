Console.WriteLine("MsaShop");
