import CadangCore
